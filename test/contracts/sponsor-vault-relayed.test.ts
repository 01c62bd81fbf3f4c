import { VRS } from "../../services/chain/eip3009.js";
import { Signature } from "ethers";
import { describe, expect, it } from "vitest";
import type { RewardToken } from "../../types/ethers-contracts/index.js";
import { DEPOSIT_TYPES } from "../../services/chain/deposit-signatures.js";
import { PERMIT_TYPES } from "../../services/chain/eip2612.js";
import { quoteRedemption } from "../../services/core/redemption.js";
import { expectEvent, expectRevert, receiptOf } from "./assertions.js";
import { connectNetwork, FEE_BPS, RATE, tokens, usd } from "./fixture.js";
import { vaultActions, type Signer } from "./vault-helpers.js";

const network = await connectNetwork();
const { ethers, networkHelpers, accounts, deployNetwork } = network;
const { governance, sponsorA, sponsorB, retailer, stranger: relayer, collector } = accounts;
const { chainId } = await ethers.provider.getNetwork();


/** The network, one redeemable program, `retailer` admitted, and sponsor A holding 100 USD (not approved). */
async function deployForRelaying() {
  const deployed = await deployNetwork();
  const program = await deployed.createProgram();
  const actions = vaultActions(network, deployed, program);
  await actions.admit(retailer);
  await (await deployed.stablecoin.connect(governance).mint(sponsorA.address, usd(100))).wait();
  return { ...deployed, program, actions };
}

/** An EIP-2612 permit to the vault signed by `owner` on `token`, whose EIP-712 name is `name`. */
async function signPermit(
  owner: Signer,
  token: { target: unknown; nonces(owner: string): Promise<bigint> },
  name: string,
  spender: string,
  value: bigint,
  deadline: bigint,
) {
  const domain = { name, version: "1", chainId, verifyingContract: String(token.target) };
  const nonce = await token.nonces(owner.address);
  const message = { owner: owner.address, spender, value, nonce, deadline };
  return Signature.from(await owner.signTypedData(domain, PERMIT_TYPES, message));
}

async function setup() {
  const deployed = await networkHelpers.loadFixture(deployForRelaying);
  const { vault, stablecoin, program } = deployed;
  const deadline = BigInt(await networkHelpers.time.latest()) + 3_600n;

  /** Sponsor A's two signatures for depositing `amount` into `target`, as a relayer receives them. */
  async function authorizeDeposit(amount: bigint, target = program.target, signer: Signer = sponsorA) {
    const permit = await signPermit(sponsorA, stablecoin, "Test USD (local chain only)", String(vault.target), amount, deadline);
    const domain = { name: "SponsorVault", version: "1", chainId, verifyingContract: String(vault.target) };
    const message = { sponsor: sponsorA.address, program: target, amount, nonce: await vault.nonces(sponsorA.address), deadline };
    const depositSignature = await signer.signTypedData(domain, DEPOSIT_TYPES, message);
    return { permit, depositSignature };
  }

  /** Relays sponsor A's deposit of `amount` into `target` with the given signatures. */
  function relayDeposit(target: unknown, amount: bigint, auth: Awaited<ReturnType<typeof authorizeDeposit>>, at = deadline) {
    const { permit, depositSignature } = auth;
    return vault
      .connect(relayer)
      .depositWithPermit(String(target), sponsorA.address, amount, at, permit.v, permit.r, permit.s, depositSignature);
  }

  return { ...deployed, deadline, authorizeDeposit, relayDeposit };
}

describe("SponsorVault.depositWithPermit", () => {
  it("deposits for a sponsor who signed a permit and a Deposit, relayed and paid for by a third account", async () => {
    const { vault, stablecoin, program, authorizeDeposit, relayDeposit } = await setup();
    const relayerEth = await ethers.provider.getBalance(relayer.address);
    const sponsorEth = await ethers.provider.getBalance(sponsorA.address);

    const receipt = await receiptOf(relayDeposit(program.target, usd(40), await authorizeDeposit(usd(40))));

    expectEvent(receipt, vault, "Deposited", [1n, program.target, sponsorA.address, usd(40)]);
    expect(await vault.getDeposit(1n)).toEqual([sponsorA.address, program.target, usd(40), usd(40)]);
    expect(await stablecoin.balanceOf(sponsorA.address)).toBe(usd(60));
    expect(await stablecoin.balanceOf(vault.target)).toBe(usd(40));
    expect(await vault.nonces(sponsorA.address)).toBe(1n);
    expect(await stablecoin.nonces(sponsorA.address)).toBe(1n);
    // The relayer paid the gas; the sponsor spent no ether.
    expect(await ethers.provider.getBalance(relayer.address)).toBeLessThan(relayerEth);
    expect(await ethers.provider.getBalance(sponsorA.address)).toBe(sponsorEth);
  });

  it("refuses a relayer who sends the deposit to another program than the one signed for", async () => {
    const { vault, stablecoin, program, createProgram, authorizeDeposit, relayDeposit } = await setup();
    const other = await createProgram({ name: "Glass Credit", symbol: "GLC" });
    const auth = await authorizeDeposit(usd(40), program.target);
    await expectRevert(relayDeposit(other.target, usd(40), auth), vault, "VaultInvalidDepositSignature", [sponsorA.address]);
    expect(await stablecoin.balanceOf(sponsorA.address)).toBe(usd(100));
    // Nor may the relayer change the amount.
    await expectRevert(relayDeposit(program.target, usd(41), auth), vault, "VaultInvalidDepositSignature", [sponsorA.address]);
  });

  it("refuses a Deposit signed by someone other than the sponsor", async () => {
    const { vault, program, authorizeDeposit, relayDeposit } = await setup();
    const forged = await authorizeDeposit(usd(40), program.target, sponsorB);
    await expectRevert(relayDeposit(program.target, usd(40), forged), vault, "VaultInvalidDepositSignature", [
      sponsorA.address,
    ]);
  });

  it("refuses a replayed deposit authorization", async () => {
    const { vault, stablecoin, program, authorizeDeposit, relayDeposit } = await setup();
    const auth = await authorizeDeposit(usd(40));
    await (await relayDeposit(program.target, usd(40), auth)).wait();
    await expectRevert(relayDeposit(program.target, usd(40), auth), vault, "VaultInvalidDepositSignature", [sponsorA.address]);
    expect(await stablecoin.balanceOf(sponsorA.address)).toBe(usd(60));
    expect(await vault.counts()).toEqual([1n, 0n]);
  });

  it("refuses an authorization past its deadline", async () => {
    const { vault, program, deadline, authorizeDeposit, relayDeposit } = await setup();
    const auth = await authorizeDeposit(usd(40));
    await networkHelpers.time.increaseTo(deadline + 1n);
    await expectRevert(relayDeposit(program.target, usd(40), auth), vault, "VaultExpiredSignature", [deadline]);
  });

  it("still deposits when someone front-ran the stablecoin permit", async () => {
    const { vault, stablecoin, program, deadline, authorizeDeposit, relayDeposit } = await setup();
    const auth = await authorizeDeposit(usd(40));
    const { v, r, s } = auth.permit;
    await (await stablecoin.connect(collector).permit(sponsorA.address, vault.target, usd(40), deadline, v, r, s)).wait();
    expect(await stablecoin.allowance(sponsorA.address, vault.target)).toBe(usd(40));

    const receipt = await receiptOf(relayDeposit(program.target, usd(40), auth));
    expectEvent(receipt, vault, "Deposited", [1n, program.target, sponsorA.address, usd(40)]);
    expect(await stablecoin.balanceOf(vault.target)).toBe(usd(40));
  });
});

describe("SponsorVault.redeemWithPermit", () => {
  /** Retailer credited with `amount` tokens (not approved) and 100 USD deposited for the program. */
  async function setupRedemption(amount: bigint) {
    const deployed = await setup();
    await deployed.actions.deposit(sponsorB, usd(100));
    await deployed.actions.credit(retailer, amount);
    const permit = await signPermit(retailer, deployed.program, "Plastic Credit", String(deployed.vault.target), amount, deployed.deadline);
    return { ...deployed, permit };
  }
  const relayRedeem = (
    d: { vault: Awaited<ReturnType<typeof setup>>["vault"]; program: RewardToken; deadline: bigint },
    amount: bigint,
    permit: Signature,
  ) => d.vault.connect(relayer).redeemWithPermit(d.program.target, retailer.address, amount, d.deadline, permit.v, permit.r, permit.s);

  it("redeems for a retailer who signed a permit of the program's token, relayed by another account", async () => {
    const d = await setupRedemption(tokens(500));
    const { gross, fee, net } = quoteRedemption(tokens(500), RATE, FEE_BPS);

    const receipt = await receiptOf(relayRedeem(d, tokens(500), d.permit));

    expectEvent(receipt, d.vault, "Redeemed", [1n, d.program.target, retailer.address, tokens(500), gross, fee]);
    expectEvent(receipt, d.vault, "DepositDrawn", [1n, 1n, sponsorB.address, gross]);
    expect(await d.program.balanceOf(retailer.address)).toBe(0n);
    expect(await d.program.nonces(retailer.address)).toBe(1n);
    expect(await d.stablecoin.balanceOf(retailer.address)).toBe(net);
    expect(await d.stablecoin.balanceOf(relayer.address)).toBe(0n);
  });

  it("still redeems when someone front-ran the retailer's permit", async () => {
    const d = await setupRedemption(tokens(500));
    const { v, r, s } = d.permit;
    await (await d.program.connect(collector)[VRS.permit](retailer.address, d.vault.target, tokens(500), d.deadline, v, r, s)).wait();

    const receipt = await receiptOf(relayRedeem(d, tokens(500), d.permit));
    expectEvent(receipt, d.vault, "Redeemed", [1n, d.program.target, retailer.address, tokens(500), usd(5), usd("0.025")]);
    expect(await d.program.balanceOf(retailer.address)).toBe(0n);
  });

  it("refuses a permit signed for fewer tokens than relayed, burning nothing", async () => {
    const d = await setupRedemption(tokens(500));
    const small = await signPermit(retailer, d.program, "Plastic Credit", String(d.vault.target), tokens(100), d.deadline);
    await expectRevert(relayRedeem(d, tokens(500), small), d.vault, "VaultInvalidPermit", [
      d.program.target,
      retailer.address,
    ]);
    expect(await d.program.balanceOf(retailer.address)).toBe(tokens(500));
  });

  it("refuses a bogus permit even when the retailer left an allowance, so nobody redeems it for them", async () => {
    const d = await setupRedemption(tokens(500));
    await (await d.program.connect(retailer).approve(d.vault.target, tokens(500))).wait();
    const bogus = Signature.from({ r: `0x${"11".repeat(32)}`, s: `0x${"22".repeat(32)}`, v: 27 });

    await expectRevert(relayRedeem(d, tokens(500), bogus), d.vault, "VaultInvalidPermit", [d.program.target, retailer.address]);
    expect(await d.program.balanceOf(retailer.address)).toBe(tokens(500));
    expect(await d.stablecoin.balanceOf(retailer.address)).toBe(0n);
  });
});
