import { describe, expect, it } from "vitest";
import { signWithdrawalRequest, type WithdrawalAction } from "../../services/chain/withdrawal-signatures.js";
import { expectEvent, expectRevert, receiptOf } from "./assertions.js";
import { connectNetwork, usd } from "./fixture.js";
import { vaultActions, type Signer } from "./vault-helpers.js";

const network = await connectNetwork();
const { ethers, networkHelpers, accounts, deployNetwork } = network;
const { sponsorA, sponsorB, stranger: relayer } = accounts;
const { chainId } = await ethers.provider.getNetwork();
const WEEK = 7n * 24n * 3_600n;

/** One program and sponsor A's deposit 1 of 10 USD. */
async function deployWithDeposit() {
  const deployed = await deployNetwork();
  const program = await deployed.createProgram();
  await vaultActions(network, deployed, program).deposit(sponsorA, usd(10));
  return { ...deployed, program };
}

async function setup() {
  const deployed = await networkHelpers.loadFixture(deployWithDeposit);
  const { vault } = deployed;
  const deadline = BigInt(await networkHelpers.time.latest()) + 3_600n;
  /** Sponsor A's signature (or `signer`'s, forging) for `action` on deposit 1, at sponsor A's next nonce. */
  async function sign(action: WithdrawalAction, signer: Signer = sponsorA, at = deadline) {
    const nonce = await vault.nonces(sponsorA.address);
    return signWithdrawalRequest(signer, action, { chainId, vault: String(vault.target), sponsor: sponsorA.address, depositId: 1n, nonce, deadline: at });
  }
  return { ...deployed, deadline, sign };
}

describe("SponsorVault relayed withdrawal announcements", () => {
  it("announces and cancels for the sponsor with its signatures, relayed and paid for by a third account", async () => {
    const { vault, program, deadline, sign } = await setup();
    const sponsorEth = await ethers.provider.getBalance(sponsorA.address);
    const announced = await receiptOf(vault.connect(relayer).announceWithdrawalBySig(1n, deadline, await sign("announce")));
    expectEvent(announced, vault, "WithdrawalAnnounced", [1n, program.target, sponsorA.address, BigInt(await networkHelpers.time.latest()) + WEEK]);
    expect(await vault.nonces(sponsorA.address)).toBe(1n);

    const cancelled = await receiptOf(vault.connect(relayer).cancelWithdrawalBySig(1n, deadline, await sign("cancel")));
    expectEvent(cancelled, vault, "WithdrawalCancelled", [1n, program.target, sponsorA.address]);
    expect(await vault.nonces(sponsorA.address)).toBe(2n);
    expect(await ethers.provider.getBalance(sponsorA.address)).toBe(sponsorEth);
  });

  it("refuses a signature by anyone but the deposit's sponsor", async () => {
    const { vault, deadline, sign } = await setup();
    await expectRevert(vault.connect(relayer).announceWithdrawalBySig(1n, deadline, await sign("announce", sponsorB)), vault, "VaultInvalidWithdrawalSignature", [1n, sponsorA.address]);
    await receiptOf(vault.connect(sponsorA).announceWithdrawal(1n));
    await expectRevert(vault.connect(relayer).cancelWithdrawalBySig(1n, deadline, await sign("cancel", sponsorB)), vault, "VaultInvalidWithdrawalSignature", [1n, sponsorA.address]);
  });

  it("refuses an announcement signature used as a cancellation, and the other way round", async () => {
    const { vault, deadline, sign } = await setup();
    await expectRevert(vault.connect(relayer).announceWithdrawalBySig(1n, deadline, await sign("cancel")), vault, "VaultInvalidWithdrawalSignature", [1n, sponsorA.address]);
    await receiptOf(vault.connect(sponsorA).announceWithdrawal(1n));
    await expectRevert(vault.connect(relayer).cancelWithdrawalBySig(1n, deadline, await sign("announce")), vault, "VaultInvalidWithdrawalSignature", [1n, sponsorA.address]);
  });

  it("refuses a replayed signature: its nonce is used", async () => {
    const { vault, deadline, sign } = await setup();
    const announce = await sign("announce");
    await receiptOf(vault.connect(relayer).announceWithdrawalBySig(1n, deadline, announce));
    await receiptOf(vault.connect(relayer).cancelWithdrawalBySig(1n, deadline, await sign("cancel")));
    await expectRevert(vault.connect(relayer).announceWithdrawalBySig(1n, deadline, announce), vault, "VaultInvalidWithdrawalSignature", [1n, sponsorA.address]);
  });

  it("refuses an expired signature, naming its deadline", async () => {
    const { vault, sign } = await setup();
    const past = BigInt(await networkHelpers.time.latest()) - 1n;
    await expectRevert(vault.connect(relayer).announceWithdrawalBySig(1n, past, await sign("announce", sponsorA, past)), vault, "VaultExpiredSignature", [past]);
    await receiptOf(vault.connect(sponsorA).announceWithdrawal(1n));
    await expectRevert(vault.connect(relayer).cancelWithdrawalBySig(1n, past, await sign("cancel", sponsorA, past)), vault, "VaultExpiredSignature", [past]);
  });

  it("refuses a signature for an unknown deposit before checking it", async () => {
    const { vault, deadline, sign } = await setup();
    await expectRevert(vault.connect(relayer).announceWithdrawalBySig(7n, deadline, await sign("announce")), vault, "VaultUnknownDeposit", [7n]);
  });
});
