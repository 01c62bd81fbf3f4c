import { describe, expect, it } from "vitest";
import { quoteRedemption } from "../../services/core/redemption.js";
import { eventsNamed, expectEvent, expectRevert, receiptOf } from "./assertions.js";
import { connectNetwork, FEE_BPS, MIN_DEPOSIT, RATE, tokens, usd } from "./fixture.js";
import { balancesOf, vaultActions } from "./vault-helpers.js";

const network = await connectNetwork();
const { networkHelpers, accounts, deployNetwork } = network;
const { sponsorA, sponsorB, retailer, treasury, stranger } = accounts;

/** The network, one redeemable program, and `retailer` admitted as its acceptor. */
async function deployWithProgram() {
  const deployed = await deployNetwork();
  const program = await deployed.createProgram();
  const actions = vaultActions(network, deployed, program);
  await actions.admit(retailer);
  return { ...deployed, program, actions };
}

/** Tokens worth exactly `units` stablecoin units at RATE. */
const worth = (units: bigint) => (units * 10n ** 18n) / RATE;

describe("SponsorVault deposits", () => {
  it("records a deposit, takes the stablecoin and emits Deposited with id, program, sponsor and amount", async () => {
    const { vault, stablecoin, program, actions } = await networkHelpers.loadFixture(deployWithProgram);
    const receipt = await actions.deposit(sponsorA, usd(100));

    expectEvent(receipt, vault, "Deposited", [1n, program.target, sponsorA.address, usd(100)]);
    expect(await vault.getDeposit(1n)).toEqual([sponsorA.address, program.target, usd(100), usd(100)]);
    expect(await vault.depositRemaining(1n)).toBe(usd(100));
    expect(await stablecoin.balanceOf(vault.target)).toBe(usd(100));
    expect(await stablecoin.balanceOf(sponsorA.address)).toBe(0n);
    expect(await vault.counts()).toEqual([1n, 0n]);
  });

  it("refuses a deposit for a program the vault never registered", async () => {
    const { vault, createProgram, actions } = await networkHelpers.loadFixture(deployWithProgram);
    const unregistered = await createProgram({ rate: 0n, name: "Unredeemable", symbol: "UNR" });
    await actions.fund(sponsorA, usd(10));
    await expectRevert(vault.connect(sponsorA).deposit(unregistered.target, usd(10)), vault, "VaultUnknownProgram", [
      unregistered.target,
    ]);
  });

  it("refuses a deposit below the minimum, naming the amount and the minimum", async () => {
    const { vault, program, actions } = await networkHelpers.loadFixture(deployWithProgram);
    await actions.fund(sponsorA, MIN_DEPOSIT);
    await expectRevert(vault.connect(sponsorA).deposit(program.target, MIN_DEPOSIT - 1n), vault, "VaultDepositTooSmall", [
      MIN_DEPOSIT - 1n,
      MIN_DEPOSIT,
    ]);
    // Exactly the minimum is accepted.
    expectEvent(await receiptOf(vault.connect(sponsorA).deposit(program.target, MIN_DEPOSIT)), vault, "Deposited");
  });

  it("refuses a zero deposit even when the minimum is zero", async () => {
    const { vault, program } = await networkHelpers.loadFixture(deployWithProgram);
    await (await vault.connect(accounts.governance).setMinDeposit(0n)).wait();
    await expectRevert(vault.connect(sponsorA).deposit(program.target, 0n), vault, "VaultDepositTooSmall", [0n, 0n]);
  });
});

describe("SponsorVault redemptions", () => {
  it("refuses a redemption by an account that is not an acceptor of the program", async () => {
    const { vault, program, actions } = await networkHelpers.loadFixture(deployWithProgram);
    await actions.deposit(sponsorA, usd(100));
    await actions.creditForRedemption(stranger, tokens(100));
    await expectRevert(vault.connect(stranger).redeem(program.target, tokens(100)), vault, "VaultNotAcceptor", [
      program.target,
      stranger.address,
    ]);
  });

  it("burns the tokens, pays the net to the retailer and the fee to the treasury", async () => {
    const { vault, stablecoin, program, actions } = await networkHelpers.loadFixture(deployWithProgram);
    await actions.deposit(sponsorA, usd(100));
    await actions.creditForRedemption(retailer, tokens(1_000));
    const { gross, fee, net } = quoteRedemption(tokens(1_000), RATE, FEE_BPS);
    expect([gross, fee, net]).toEqual([usd(10), usd("0.05"), usd("9.95")]);

    const receipt = await receiptOf(vault.connect(retailer).redeem(program.target, tokens(1_000)));

    expectEvent(receipt, vault, "Redeemed", [1n, program.target, retailer.address, tokens(1_000), gross, fee]);
    const drawn = eventsNamed(receipt, vault, "DepositDrawn").map((e) => [...e.args]);
    expect(drawn).toEqual([[1n, 1n, sponsorA.address, gross]]);
    expect(await balancesOf(stablecoin, retailer, treasury)).toEqual([net, fee]);
    expect(await stablecoin.balanceOf(vault.target)).toBe(usd(100) - gross);
    expect(await program.balanceOf(retailer.address)).toBe(0n);
    expect(await program.totalSupply()).toBe(0n);
    expect(await vault.depositRemaining(1n)).toBe(usd(100) - gross);
    expect(await vault.counts()).toEqual([1n, 1n]);
  });

  it("draws deposits first in first out across sponsors, partly, and moves on once one is spent", async () => {
    const { vault, program, actions } = await networkHelpers.loadFixture(deployWithProgram);
    await actions.deposit(sponsorA, usd(3)); // deposit 1
    await actions.deposit(sponsorB, usd(2)); // deposit 2
    await actions.deposit(sponsorA, usd(5)); // deposit 3
    const redeem = async (units: bigint) => {
      await actions.creditForRedemption(retailer, worth(units));
      const receipt = await receiptOf(vault.connect(retailer).redeem(program.target, worth(units)));
      return eventsNamed(receipt, vault, "DepositDrawn").map((e) => [...e.args]);
    };
    const remaining = async () => Promise.all([1n, 2n, 3n].map((id) => vault.depositRemaining(id)));

    expect(await redeem(usd(4))).toEqual([
      [1n, 1n, sponsorA.address, usd(3)],
      [1n, 2n, sponsorB.address, usd(1)],
    ]);
    expect(await remaining()).toEqual([0n, usd(1), usd(5)]);

    // The exhausted first deposit is not visited again.
    expect(await redeem(usd(3))).toEqual([
      [2n, 2n, sponsorB.address, usd(1)],
      [2n, 3n, sponsorA.address, usd(2)],
    ]);
    expect(await remaining()).toEqual([0n, 0n, usd(3)]);

    expect(await redeem(usd(3))).toEqual([[3n, 3n, sponsorA.address, usd(3)]]);
    expect(await vault.getDeposit(3n)).toEqual([sponsorA.address, program.target, usd(5), 0n]);

    // A deposit made after the book ran dry is the next one drawn.
    await actions.deposit(sponsorB, usd(2)); // deposit 4
    expect(await redeem(2n)).toEqual([[4n, 4n, sponsorB.address, 2n]]);
  });

  it("keeps each program's deposits apart", async () => {
    const deployed = await networkHelpers.loadFixture(deployWithProgram);
    const { vault, program, actions } = deployed;
    const other = await deployed.createProgram({ name: "Glass Credit", symbol: "GLC" });
    await vaultActions(network, deployed, other).deposit(sponsorB, usd(50)); // deposit 1, for the other program
    await actions.deposit(sponsorA, usd(5)); // deposit 2
    await actions.creditForRedemption(retailer, worth(usd(6)));
    await expectRevert(vault.connect(retailer).redeem(program.target, worth(usd(6))), vault, "VaultInsufficientDeposits", [
      program.target,
      usd(5),
      usd(6),
    ]);
    const receipt = await receiptOf(vault.connect(retailer).redeem(program.target, worth(usd(5))));
    expect(eventsNamed(receipt, vault, "DepositDrawn").map((e) => e.args.depositId)).toEqual([2n]);
    expect(await vault.depositRemaining(1n)).toBe(usd(50));
  });
});

describe("SponsorVault rounding and refusals", () => {
  it("rounds the fee up: 201 units of value pay 2 units of fee, 199 to the retailer", async () => {
    const { vault, stablecoin, program, actions } = await networkHelpers.loadFixture(deployWithProgram);
    await actions.deposit(sponsorA, usd(1));
    await actions.creditForRedemption(retailer, worth(201n));
    const receipt = await receiptOf(vault.connect(retailer).redeem(program.target, worth(201n)));
    expectEvent(receipt, vault, "Redeemed", [1n, program.target, retailer.address, worth(201n), 201n, 2n]);
    expect(await balancesOf(stablecoin, retailer, treasury)).toEqual([199n, 2n]);
  });

  it("refuses a redemption whose fee would take all of its value, burning nothing", async () => {
    const { vault, stablecoin, program, actions } = await networkHelpers.loadFixture(deployWithProgram);
    await actions.deposit(sponsorA, usd(1));
    const justUnderTwoUnits = worth(2n) - 1n; // rounds down to one unit of value, and the fee rounds up to it
    await actions.creditForRedemption(retailer, justUnderTwoUnits);
    await expectRevert(vault.connect(retailer).redeem(program.target, justUnderTwoUnits), vault, "VaultRedemptionTooSmall", [
      program.target,
      justUnderTwoUnits,
    ]);
    expect(await balancesOf(stablecoin, retailer, treasury)).toEqual([0n, 0n]);
    expect(await program.balanceOf(retailer.address)).toBe(justUnderTwoUnits);
  });

  it("refuses a redemption beyond the deposits, naming what is available and needed, and changes nothing", async () => {
    const { vault, stablecoin, program, actions } = await networkHelpers.loadFixture(deployWithProgram);
    await actions.deposit(sponsorA, usd(1));
    await actions.deposit(sponsorB, usd(1));
    await actions.creditForRedemption(retailer, tokens(201)); // worth 2.01 USD
    const before = await Promise.all([
      balancesOf(stablecoin, retailer, treasury, { address: String(vault.target) }),
      program.balanceOf(retailer.address),
      vault.depositRemaining(1n),
      vault.depositRemaining(2n),
      vault.counts(),
    ]);

    await expectRevert(vault.connect(retailer).redeem(program.target, tokens(201)), vault, "VaultInsufficientDeposits", [
      program.target,
      usd(2),
      usd("2.01"),
    ]);

    const after = await Promise.all([
      balancesOf(stablecoin, retailer, treasury, { address: String(vault.target) }),
      program.balanceOf(retailer.address),
      vault.depositRemaining(1n),
      vault.depositRemaining(2n),
      vault.counts(),
    ]);
    expect(after).toEqual(before);
    expect(after[1]).toBe(tokens(201));
  });

  it("refuses tokens worth less than one stablecoin unit", async () => {
    const { vault, program, actions } = await networkHelpers.loadFixture(deployWithProgram);
    await actions.deposit(sponsorA, usd(1));
    await actions.creditForRedemption(retailer, worth(1n) - 1n);
    await expectRevert(vault.connect(retailer).redeem(program.target, worth(1n) - 1n), vault, "VaultRedemptionTooSmall", [
      program.target,
      worth(1n) - 1n,
    ]);
  });

  it("refuses a redemption the retailer did not approve to the vault", async () => {
    const { vault, program, actions } = await networkHelpers.loadFixture(deployWithProgram);
    await actions.deposit(sponsorA, usd(10));
    await actions.credit(retailer, tokens(100));
    await expectRevert(vault.connect(retailer).redeem(program.target, tokens(100)), program, "ERC20InsufficientAllowance", [
      vault.target,
      0n,
      tokens(100),
    ]);
  });

  it("refuses a redemption of a program the vault never registered", async () => {
    const { vault, createProgram } = await networkHelpers.loadFixture(deployWithProgram);
    const unregistered = await createProgram({ rate: 0n, name: "Unredeemable", symbol: "UNR" });
    await expectRevert(vault.connect(retailer).redeem(unregistered.target, tokens(1)), vault, "VaultUnknownProgram", [
      unregistered.target,
    ]);
  });
});

describe("SponsorVault views", () => {
  it("reports solvency as tokens are minted, deposits made and tokens redeemed", async () => {
    const { vault, program, actions } = await networkHelpers.loadFixture(deployWithProgram);
    const solvency = async () => [...(await vault.solvency(program.target))];
    expect(await solvency()).toEqual([0n, 0n, true]);

    await actions.credit(accounts.collector, tokens(1_000)); // worth 10 USD
    expect(await solvency()).toEqual([usd(10), 0n, false]);

    await actions.deposit(sponsorA, usd(9));
    expect(await solvency()).toEqual([usd(10), usd(9), false]);
    await actions.deposit(sponsorB, usd(1));
    expect(await solvency()).toEqual([usd(10), usd(10), true]);

    await actions.creditForRedemption(retailer, tokens(400));
    expect(await solvency()).toEqual([usd(14), usd(10), false]);
    await (await vault.connect(retailer).redeem(program.target, tokens(400))).wait();
    // Redeeming draws the full value, fee included, so outstanding and deposits fall together.
    expect(await solvency()).toEqual([usd(10), usd(6), false]);
  });

  it("quotes what a redemption would pay, as the TypeScript model computes it, at the current fee", async () => {
    const { vault, program } = await networkHelpers.loadFixture(deployWithProgram);
    for (const amount of [0n, worth(1n), worth(201n), tokens(1_000), tokens("12345.678901234567890123")]) {
      const { gross, fee, net } = quoteRedemption(amount, RATE, FEE_BPS);
      expect([...(await vault.quote(program.target, amount))]).toEqual([gross, fee, net]);
    }
    await (await vault.connect(accounts.governance).setFee(1_000n)).wait();
    expect([...(await vault.quote(program.target, tokens(1_000)))]).toEqual([usd(10), usd(1), usd(9)]);
    expect(await vault.redemptionRate(program.target)).toBe(RATE);
    expect(await vault.redemptionRate(stranger.address)).toBe(0n);
    await expectRevert(vault.quote(stranger.address, 1n), vault, "VaultUnknownProgram", [stranger.address]);
  });
});
