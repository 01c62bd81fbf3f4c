import { ZeroAddress, ZeroHash } from "ethers";
import { describe, expect, it } from "vitest";
import { expectEvent, expectRevert, receiptOf } from "./assertions.js";
import { connectNetwork, FEE_BPS, MIN_DEPOSIT, RATE, tokens, usd } from "./fixture.js";
import { vaultActions } from "./vault-helpers.js";

const network = await connectNetwork();
const { ethers, networkHelpers, accounts, deployNetwork } = network;
const { governance, operator, treasury, sponsorA, retailer, stranger, collector } = accounts;

/** The network, one redeemable program with `retailer` admitted, 10 USD deposited and 100 tokens ready to redeem. */
async function deployFunded() {
  const deployed = await deployNetwork();
  const program = await deployed.createProgram();
  const actions = vaultActions(network, deployed, program);
  await actions.admit(retailer);
  await actions.deposit(sponsorA, usd(10));
  await actions.creditForRedemption(retailer, tokens(100));
  return { ...deployed, program, actions };
}

const ADMIN = ZeroHash; // DEFAULT_ADMIN_ROLE

describe("SponsorVault settings", () => {
  it("announces its initial fee, treasury and minimum at deployment and refuses bad ones", async () => {
    const { vault, stablecoin } = await networkHelpers.loadFixture(deployFunded);
    const tx = vault.deploymentTransaction();
    if (!tx) throw new Error("the vault has no deployment transaction");
    const receipt = await receiptOf(tx);
    expectEvent(receipt, vault, "FeeChanged", [0n, FEE_BPS]);
    expectEvent(receipt, vault, "TreasuryChanged", [ZeroAddress, treasury.address]);
    expectEvent(receipt, vault, "MinDepositChanged", [0n, MIN_DEPOSIT]);

    const deploy = (fee: bigint, to: string) =>
      ethers.deployContract("SponsorVault", [stablecoin.target, governance.address, to, fee, MIN_DEPOSIT]);
    await expectRevert(deploy(1_001n, treasury.address), vault, "VaultFeeTooHigh", [1_001n, 1_000n]);
    await expectRevert(deploy(FEE_BPS, ZeroAddress), vault, "VaultInvalidTreasury", []);
  });

  it("lets governance set the fee up to 10% and charges it on the next redemption", async () => {
    const { vault, stablecoin, program } = await networkHelpers.loadFixture(deployFunded);
    expectEvent(await receiptOf(vault.connect(governance).setFee(1_000n)), vault, "FeeChanged", [FEE_BPS, 1_000n]);
    expect(await vault.feeBps()).toBe(1_000n);
    await expectRevert(vault.connect(governance).setFee(1_001n), vault, "VaultFeeTooHigh", [1_001n, 1_000n]);

    await (await vault.connect(retailer).redeem(program.target, tokens(100))).wait(); // worth 1 USD
    expect(await stablecoin.balanceOf(treasury.address)).toBe(usd("0.1"));
    expect(await stablecoin.balanceOf(retailer.address)).toBe(usd("0.9"));
  });

  it("lets governance move the treasury, never to the zero address, and pays fees to the new one", async () => {
    const { vault, stablecoin, program } = await networkHelpers.loadFixture(deployFunded);
    const receipt = await receiptOf(vault.connect(governance).setTreasury(collector.address));
    expectEvent(receipt, vault, "TreasuryChanged", [treasury.address, collector.address]);
    await expectRevert(vault.connect(governance).setTreasury(ZeroAddress), vault, "VaultInvalidTreasury", []);
    expect(await vault.treasury()).toBe(collector.address);

    await (await vault.connect(retailer).redeem(program.target, tokens(100))).wait();
    expect(await stablecoin.balanceOf(collector.address)).toBe(usd("0.005"));
    expect(await stablecoin.balanceOf(treasury.address)).toBe(0n);
  });

  it("lets governance raise the minimum deposit, which later deposits must meet", async () => {
    const { vault, program, actions } = await networkHelpers.loadFixture(deployFunded);
    const receipt = await receiptOf(vault.connect(governance).setMinDeposit(usd(5)));
    expectEvent(receipt, vault, "MinDepositChanged", [MIN_DEPOSIT, usd(5)]);
    await actions.fund(sponsorA, usd(5));
    await expectRevert(vault.connect(sponsorA).deposit(program.target, usd(4)), vault, "VaultDepositTooSmall", [usd(4), usd(5)]);
    expectEvent(await receiptOf(vault.connect(sponsorA).deposit(program.target, usd(5))), vault, "Deposited");
  });

  it("lets governance change a program's rate, which quotes and redemptions then use", async () => {
    const { vault, stablecoin, program, createProgram } = await networkHelpers.loadFixture(deployFunded);
    const receipt = await receiptOf(vault.connect(governance).setRedemptionRate(program.target, 2n * RATE));
    expectEvent(receipt, vault, "RedemptionRateChanged", [program.target, RATE, 2n * RATE]);
    expect(await vault.redemptionRate(program.target)).toBe(2n * RATE);
    expect([...(await vault.quote(program.target, tokens(100)))]).toEqual([usd(2), usd("0.01"), usd("1.99")]);
    await (await vault.connect(retailer).redeem(program.target, tokens(100))).wait();
    expect(await stablecoin.balanceOf(retailer.address)).toBe(usd("1.99"));

    await expectRevert(vault.connect(governance).setRedemptionRate(program.target, 0n), vault, "VaultZeroRate", [
      program.target,
    ]);
    const unregistered = await createProgram({ rate: 0n, name: "Unredeemable", symbol: "UNR" });
    await expectRevert(vault.connect(governance).setRedemptionRate(unregistered.target, RATE), vault, "VaultUnknownProgram", [
      unregistered.target,
    ]);
  });

  it("refuses every setting to accounts without the admin role, naming the account and the role", async () => {
    const { vault, program } = await networkHelpers.loadFixture(deployFunded);
    for (const who of [stranger, operator, treasury]) {
      const calls = [
        vault.connect(who).setFee(10n),
        vault.connect(who).setTreasury(who.address),
        vault.connect(who).setMinDeposit(1n),
        vault.connect(who).setRedemptionRate(program.target, 1n),
      ];
      for (const call of calls) {
        await expectRevert(call, vault, "AccessControlUnauthorizedAccount", [who.address, ADMIN]);
      }
    }
    expect([await vault.feeBps(), await vault.treasury(), await vault.minDeposit()]).toEqual([
      FEE_BPS,
      treasury.address,
      MIN_DEPOSIT,
    ]);
  });
});

describe("SponsorVault program registration", () => {
  it("registers a program only for PROGRAM_REGISTRAR_ROLE, once, at a positive rate", async () => {
    const { vault, factory, createProgram } = await networkHelpers.loadFixture(deployFunded);
    const role = await vault.PROGRAM_REGISTRAR_ROLE();
    expect(await vault.hasRole(role, factory.target)).toBe(true);
    const unregistered = await createProgram({ rate: 0n, name: "Later", symbol: "LTR" });

    // Even governance, the admin, must first hold the role.
    for (const who of [governance, stranger]) {
      await expectRevert(vault.connect(who).registerProgram(unregistered.target, RATE), vault, "AccessControlUnauthorizedAccount", [
        who.address,
        role,
      ]);
    }
    await (await vault.connect(governance).grantRole(role, operator.address)).wait();
    await expectRevert(vault.connect(operator).registerProgram(unregistered.target, 0n), vault, "VaultZeroRate", [
      unregistered.target,
    ]);
    const receipt = await receiptOf(vault.connect(operator).registerProgram(unregistered.target, 3n * RATE));
    expectEvent(receipt, vault, "ProgramRegistered", [unregistered.target, 3n * RATE]);
    expect(await vault.redemptionRate(unregistered.target)).toBe(3n * RATE);
    await expectRevert(vault.connect(operator).registerProgram(unregistered.target, RATE), vault, "VaultProgramAlreadyRegistered", [
      unregistered.target,
    ]);
  });
});

describe("SponsorVault pause", () => {
  it("blocks deposits and redemptions while paused and resumes them after", async () => {
    const { vault, program, actions } = await networkHelpers.loadFixture(deployFunded);
    await actions.fund(sponsorA, usd(5));
    expectEvent(await receiptOf(vault.connect(governance).pause()), vault, "Paused", [governance.address]);

    await expectRevert(vault.connect(sponsorA).deposit(program.target, usd(5)), vault, "EnforcedPause", []);
    await expectRevert(vault.connect(retailer).redeem(program.target, tokens(100)), vault, "EnforcedPause", []);
    await expectRevert(
      vault.connect(stranger).depositWithPermit(program.target, sponsorA.address, usd(5), 0n, 0, ZeroHash, ZeroHash, "0x"),
      vault,
      "EnforcedPause",
      [],
    );
    await expectRevert(
      vault.connect(stranger).redeemWithPermit(program.target, retailer.address, tokens(100), 0n, 0, ZeroHash, ZeroHash),
      vault,
      "EnforcedPause",
      [],
    );
    // Views keep working.
    expect([...(await vault.solvency(program.target))]).toEqual([usd(1), usd(10), true]);

    expectEvent(await receiptOf(vault.connect(governance).unpause()), vault, "Unpaused", [governance.address]);
    expectEvent(await receiptOf(vault.connect(sponsorA).deposit(program.target, usd(5))), vault, "Deposited");
    expectEvent(await receiptOf(vault.connect(retailer).redeem(program.target, tokens(100))), vault, "Redeemed");
  });

  it("lets only PAUSER_ROLE pause and unpause", async () => {
    const { vault } = await networkHelpers.loadFixture(deployFunded);
    const role = await vault.PAUSER_ROLE();
    await expectRevert(vault.connect(stranger).pause(), vault, "AccessControlUnauthorizedAccount", [stranger.address, role]);
    await (await vault.connect(governance).pause()).wait();
    await expectRevert(vault.connect(operator).unpause(), vault, "AccessControlUnauthorizedAccount", [operator.address, role]);
    expect(await vault.paused()).toBe(true);
  });
});
