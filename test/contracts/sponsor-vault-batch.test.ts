import { VRS } from "../../services/chain/eip3009.js";
import fc from "fast-check";
import { Signature } from "ethers";
import { describe, expect, it } from "vitest";
import type { RewardToken } from "../../types/ethers-contracts/index.js";
import { PERMIT_TYPES } from "../../services/chain/eip2612.js";
import { quoteRedemption } from "../../services/core/redemption.js";
import { eventsNamed, expectEvent, expectNoEvent, expectRevert, receiptOf } from "./assertions.js";
import { connectNetwork, FEE_BPS, RATE, tokens, usd } from "./fixture.js";
import { vaultActions, type Signer } from "./vault-helpers.js";

const network = await connectNetwork();
const { ethers, networkHelpers, accounts, deployNetwork } = network;
const { governance, sponsorA, sponsorB, retailer, retailer2, collector, stranger: relayer } = accounts;
const { chainId } = await ethers.provider.getNetwork();

/** `RedemptionSkipReason` of ISponsorVault. */
const Skip = {
  UnknownProgram: 0n, ProgramPaused: 1n, NotAcceptor: 2n, RedemptionTooSmall: 3n, InsufficientBalance: 4n,
  InsufficientDeposits: 5n, PermitExpired: 6n, InvalidPermit: 7n, PermitUsed: 8n,
} as const;

interface Item { program: string; retailer: string; tokens: bigint; deadline: bigint; v: number; r: string; s: string }

/** Two programs, both retailers admitted to the first, sponsor B's 10 USD deposited for it, tokens credited. */
async function deployForBatches() {
  const deployed = await deployNetwork();
  const program = await deployed.createProgram();
  const other = await deployed.createProgram({ name: "Glass Credit", symbol: "GLC" });
  const actions = vaultActions(network, deployed, program);
  for (const r of [retailer, retailer2]) {
    await actions.admit(r);
    await actions.credit(r, tokens(1_000));
  }
  await actions.deposit(sponsorB, usd(10));
  return { ...deployed, program, other, actions };
}

async function setup() {
  const deployed = await networkHelpers.loadFixture(deployForBatches);
  const { vault, program } = deployed;
  const deadline = BigInt(await networkHelpers.time.latest()) + 3_600n;
  /** `owner`'s permit of `amount` of `token` to the vault at its next nonce, as one batch item. */
  async function item(owner: Signer, amount: bigint, fields: { token?: RewardToken; deadline?: bigint; nonce?: bigint } = {}) {
    const token = fields.token ?? program;
    const at = fields.deadline ?? deadline;
    const domain = { name: await token.name(), version: "1", chainId, verifyingContract: String(token.target) };
    const nonce = fields.nonce ?? (await token.nonces(owner.address));
    const message = { owner: owner.address, spender: vault.target, value: amount, nonce, deadline: at };
    const { v, r, s } = Signature.from(await owner.signTypedData(domain, PERMIT_TYPES, message));
    return { program: String(token.target), retailer: owner.address, tokens: amount, deadline: at, v, r, s } satisfies Item;
  }
  const relay = (items: Item[]) => receiptOf(vault.connect(relayer).redeemWithPermitBatch(items));
  return { ...deployed, deadline, item, relay };
}

const quote = (amount: bigint) => quoteRedemption(amount, RATE, FEE_BPS);

describe("SponsorVault.redeemWithPermitBatch", () => {
  it("redeems several retailers' permits in one transaction, with the events and payouts of single redemptions", async () => {
    const { vault, program, stablecoin, item, relay } = await setup();
    const a = quote(tokens(300));
    const b = quote(tokens(200));

    const receipt = await relay([await item(retailer, tokens(300)), await item(retailer2, tokens(200))]);

    expectEvent(receipt, vault, "Redeemed", [1n, program.target, retailer.address, tokens(300), a.gross, a.fee]);
    expectEvent(receipt, vault, "DepositDrawn", [1n, 1n, sponsorB.address, a.gross]);
    expectEvent(receipt, vault, "Redeemed", [2n, program.target, retailer2.address, tokens(200), b.gross, b.fee]);
    expectEvent(receipt, vault, "DepositDrawn", [2n, 1n, sponsorB.address, b.gross]);
    expectNoEvent(receipt, vault, "RedemptionSkipped");
    expect(await program.balanceOf(retailer.address)).toBe(tokens(700));
    expect(await stablecoin.balanceOf(retailer.address)).toBe(a.net);
    expect(await stablecoin.balanceOf(retailer2.address)).toBe(b.net);
    expect(await stablecoin.balanceOf(accounts.treasury.address)).toBe(a.fee + b.fee);
    expect(await vault.depositRemaining(1n)).toBe(usd(10) - a.gross - b.gross);
    expect(await vault.counts()).toEqual([1n, 2n]);
    expect(await stablecoin.balanceOf(relayer.address)).toBe(0n);
  });

  it("skips what cannot be paid with its reason, pays the rest, and leaves the skipped permits' nonces unused", async () => {
    const { vault, program, other, item, relay, deadline } = await setup();
    await networkHelpers.time.increaseTo(deadline - 10n);
    const expiring = await item(retailer, tokens(10), { deadline: deadline - 5n });
    const items = [
      await item(retailer, tokens(100), { token: other }), // retailer is no acceptor of the other program
      { ...(await item(retailer, tokens(100))), tokens: tokens(101) }, // signed for 100, relayed for 101
      await item(retailer, tokens(100), { nonce: 1n }), // a nonce ahead of the token's
      await item(retailer, 1n), // worth nothing once the fee is taken
      await item(retailer, tokens(5_000)), // more than the retailer holds
      await item(retailer2, tokens(600)), // 6 USD of the 10: paid
      await item(retailer, tokens(500)), // 5 USD of the 4 left
      expiring,
      { ...(await item(retailer, tokens(1))), program: collector.address }, // not a program
    ];
    await networkHelpers.time.increaseTo(deadline - 4n);

    const receipt = await relay(items);

    const skipped = eventsNamed(receipt, vault, "RedemptionSkipped").map((e) => [...e.args]);
    expect(skipped).toEqual([
      [other.target, retailer.address, tokens(100), Skip.NotAcceptor],
      [program.target, retailer.address, tokens(101), Skip.InvalidPermit],
      [program.target, retailer.address, tokens(100), Skip.InvalidPermit],
      [program.target, retailer.address, 1n, Skip.RedemptionTooSmall],
      [program.target, retailer.address, tokens(5_000), Skip.InsufficientBalance],
      [program.target, retailer.address, tokens(500), Skip.InsufficientDeposits],
      [program.target, retailer.address, tokens(10), Skip.PermitExpired],
      [collector.address, retailer.address, tokens(1), Skip.UnknownProgram],
    ]);
    expect(eventsNamed(receipt, vault, "Redeemed").map((e) => e.args.retailer)).toEqual([retailer2.address]);
    expect(await program.nonces(retailer.address)).toBe(0n);
    expect(await program.balanceOf(retailer.address)).toBe(tokens(1_000));
    expect(await vault.connect(relayer).redeemWithPermitBatch.staticCall([await item(retailer, tokens(400))])).toBe(1n);
  });

  it("skips a program whose token is paused, without reverting the others", async () => {
    const deployed = await setup();
    const { vault, program, other, item, relay } = deployed;
    const otherActions = vaultActions(network, deployed, other);
    await otherActions.admit(retailer);
    await otherActions.credit(retailer, tokens(10));
    await (await program.connect(governance).pause()).wait();
    const receipt = await relay([await item(retailer, tokens(100)), await item(retailer, tokens(10), { token: other })]);
    expectEvent(receipt, vault, "RedemptionSkipped", [program.target, retailer.address, tokens(100), Skip.ProgramPaused]);
    // The other program has no deposits: skipped for that, after its pause check passed.
    expectEvent(receipt, vault, "RedemptionSkipped", [other.target, retailer.address, tokens(10), Skip.InsufficientDeposits]);
  });

  it("redeems a permit someone front-ran, and skips the same permit relayed again as used", async () => {
    const { vault, program, item, relay } = await setup();
    const first = await item(retailer, tokens(100));
    await (await program.connect(collector)[VRS.permit](first.retailer, vault.target, first.tokens, first.deadline, first.v, first.r, first.s)).wait();

    const receipt = await relay([first, first]);

    const { gross, fee } = quote(tokens(100));
    expectEvent(receipt, vault, "Redeemed", [1n, program.target, retailer.address, tokens(100), gross, fee]);
    expectEvent(receipt, vault, "RedemptionSkipped", [program.target, retailer.address, tokens(100), Skip.PermitUsed]);
    expect(await program.balanceOf(retailer.address)).toBe(tokens(900));
  });

  it("refuses a bogus permit even when the retailer left an allowance to the vault", async () => {
    const { vault, program, item, relay } = await setup();
    await (await program.connect(retailer).approve(vault.target, tokens(1_000))).wait();
    const bogus = { ...(await item(retailer, tokens(100))), r: `0x${"11".repeat(32)}`, s: `0x${"22".repeat(32)}`, v: 27 };
    const receipt = await relay([bogus]);
    expectEvent(receipt, vault, "RedemptionSkipped", [program.target, retailer.address, tokens(100), Skip.InvalidPermit]);
    expect(await program.balanceOf(retailer.address)).toBe(tokens(1_000));
  });

  it("reverts as a whole only while the vault is paused", async () => {
    const { vault, item } = await setup();
    await (await vault.connect(governance).pause()).wait();
    await expectRevert(vault.connect(relayer).redeemWithPermitBatch([await item(retailer, tokens(100))]), vault, "EnforcedPause", []);
  });

  it("draws a batch first in first out across deposits, as one redemption after another would (property)", async () => {
    const { vault, program, item, relay, actions } = await setup();
    await actions.deposit(sponsorA, usd(3));
    const snapshot = await networkHelpers.takeSnapshot();
    await fc.assert(
      fc.asyncProperty(fc.array(fc.bigInt({ min: 0n, max: tokens(700) }), { minLength: 1, maxLength: 2 }), async (amounts) => {
        await snapshot.restore();
        const signers = [retailer, retailer2];
        const items: Item[] = [];
        // One open permit per retailer: a retailer's second permit would need its next nonce.
        for (const [i, amount] of amounts.entries()) items.push(await item(signers[i]!, amount));
        const receipt = await relay(items);
        let available = usd(13);
        let paid = 0;
        for (const it of items) {
          const { gross, net } = quote(it.tokens);
          if (net !== 0n && gross <= available) {
            available -= gross;
            paid++;
          }
        }
        expect(eventsNamed(receipt, vault, "Redeemed")).toHaveLength(paid);
        expect(eventsNamed(receipt, vault, "RedemptionSkipped")).toHaveLength(items.length - paid);
        const drawn = eventsNamed(receipt, vault, "DepositDrawn").reduce((sum, e) => sum + (e.args.amount as bigint), 0n);
        expect(drawn).toBe(usd(13) - available);
        expect((await vault.depositRemaining(1n)) + (await vault.depositRemaining(2n))).toBe(available);
        expect((await vault.solvency(program.target))[1]).toBe(available);
      }),
      { numRuns: 15 },
    );
  });
});
