import type { TransactionReceipt } from "ethers";
import { reopenCarriedBy } from "../db/finality.js";
import { findRedemptions, markRedemptionsSubmitted, type Redemption } from "../db/redemptions.js";
import type { Sql } from "../db/sql.js";
import { batchGasLimit } from "../chain/gas.js";
import type { Chain } from "../chain/network.js";
import { RedemptionOutcomes, storedOutcome, type RedemptionOutcome } from "./redemption-outcomes.js";
import { RequestBatch, type Waiting as RequestWaiting } from "./request-batch.js";
import { revertDataOf } from "../chain/revert-reason.js";
import { permitRedemption, screenRedemptions } from "./redemption-screen.js";

export type { RedemptionOutcome } from "./redemption-outcomes.js";

/** A permit this close to its deadline would expire on the way to a block: not worth the gas. */
const DEADLINE_MARGIN_S = 2n;
// A redemption costs ~91k gas in a batch (`npm run gas`), ~15k more per further deposit it crosses, and
// more as the vault's first. A fixed, generous limit (unused gas is not paid): a dry run (eth_estimateGas)
// of a batch of 50 took 0.6 to 1.7 s on the bench's node, longer than everything else in a batch together.
const GAS_BASE = 150_000n;
const GAS_PER_REDEMPTION = 200_000n;

type Waiting = RequestWaiting<RedemptionOutcome | undefined>;

/**
 * Settles redemptions in batches through the vault's relay: callers (the worker's concurrent jobs) ask for
 * one redemption each; the settler sends one `redeemWithPermitBatch` when `batchMax` requests are waiting
 * or `batchMs` after the first, and answers every caller from the one receipt. The transaction hash is
 * recorded on every row before it leaves and a retailer's permit nonce is spent at most once on chain, so a
 * retry after a crash settles from the recorded transaction or the chain's state and never pays twice.
 */
export class RedemptionSettler {
  private readonly batches: RequestBatch<RedemptionOutcome | undefined>;
  private readonly outcomes: RedemptionOutcomes;
  /** Doubled (up to the cap) whenever a batch runs out of gas, so its redemptions, back to pending, fit next time. */
  private gasPerRedemption: bigint;

  constructor(
    private readonly sql: Sql,
    private readonly chain: Chain,
    private readonly options: {
      batchMax: number;
      batchMs: number;
      onBatch?(size: number, gasUsed: bigint): void;
      /** The gas limit's share per redemption to start from (tests start low to run out of gas). */
      gasPerRedemption?: bigint;
    },
  ) {
    this.batches = new RequestBatch({ max: options.batchMax, ms: options.batchMs }, (batch) => this.settleBatch(batch));
    this.outcomes = new RedemptionOutcomes(sql, chain);
    this.gasPerRedemption = options.gasPerRedemption ?? GAS_PER_REDEMPTION;
    chain.writer.useJournal(sql);
  }

  /** The redemption's outcome; undefined when there is no such redemption. Rejects when it must be retried. */
  settle(id: bigint): Promise<RedemptionOutcome | undefined> {
    return this.batches.request(id);
  }

  /**
   * A relay a reorganisation moved to another block ran there on other state (the shop's own transfer, another
   * redemption drawing the same deposits): each redemption it carried takes what its receipt in that block says.
   */
  async settleMoved(receipt: TransactionReceipt): Promise<void> {
    const carried = await findRedemptions(this.sql, await reopenCarriedBy(this.sql, "redemptions", receipt.hash));
    if (carried.length > 0) await this.outcomes.fromReceipt(carried, receipt);
  }

  private async settleBatch(batch: Waiting[]): Promise<void> {
    const rows = new Map((await findRedemptions(this.sql, batch.map((w) => w.id))).map((r) => [r.id, r]));
    const toSend = new Map<bigint, { row: Redemption; waiting: Waiting[] }>();
    await Promise.all(
      batch.map(async (waiting) => {
        const row = rows.get(waiting.id);
        if (!row) return waiting.resolve(undefined);
        const queued = toSend.get(row.id);
        if (queued) return queued.waiting.push(waiting); // the same id asked twice: one item, one answer
        const entry = { row, waiting: [waiting] };
        toSend.set(row.id, entry);
        const settled = await this.withoutSending(row);
        if (!settled) return;
        toSend.delete(row.id);
        for (const w of entry.waiting) w.resolve(settled);
      }),
    );
    if (toSend.size === 0) return;
    const group = [...toSend.values()];
    const outcomes = await this.relay(group.map((g) => g.row));
    for (const { row, waiting } of group) {
      const outcome = outcomes.get(row.id);
      for (const w of waiting) {
        if (outcome) w.resolve(outcome);
        else w.reject(new Error(`redemption ${row.id} is not settled yet; it will be retried`));
      }
    }
  }

  /** The outcome of a redemption that needs no new transaction: final already, carried by a recorded one, or expired. */
  private async withoutSending(row: Redemption): Promise<RedemptionOutcome | undefined> {
    if (row.status === "included" || row.status === "confirmed" || row.status === "failed") return storedOutcome(row);
    if (row.status === "submitted" && row.txHash) {
      const recovered = await this.recover(row, row.txHash);
      if (recovered) return recovered;
    }
    if (row.deadline <= BigInt(Math.floor(Date.now() / 1000)) + DEADLINE_MARGIN_S) {
      return this.outcomes.failUnlessRedeemed(row, "RC_PERMIT_EXPIRED", null);
    }
    return undefined;
  }

  /** A previous attempt recorded `hash`: its receipt is the answer, or, if the node never saw it, the chain's state. */
  private async recover(row: Redemption, hash: string): Promise<RedemptionOutcome | undefined> {
    const receipt = await this.chain.fateOf(hash);
    // Known to the node but still unmined: it stays submitted and the retry looks again.
    if (receipt === "pending") throw new Error(`redemption ${row.id}: transaction ${hash} is not mined yet`);
    if (receipt === "unknown") return this.outcomes.fromChainState(row);
    // A reverted batch's reason may be another row's: checked alone, this one fails only if it is refused itself.
    if (receipt.status !== 1 && (await this.carriedOthers(hash))) return (await this.afterRevert([row], receipt, undefined, false)).get(row.id);
    return (await this.outcomes.fromReceipt([row], receipt)).get(row.id);
  }

  /** Whether transaction `hash` relayed other redemptions beside one (a batch), so its revert may not be this row's. */
  private async carriedOthers(hash: string): Promise<boolean> {
    const tx = await this.chain.provider.getTransaction(hash);
    const call = tx && this.chain.vault.interface.parseTransaction({ data: tx.data });
    return call?.name === "redeemWithPermitBatch" && (call.args[0] as unknown[]).length > 1;
  }

  /** One redeemWithPermitBatch for `rows`, recorded on them before broadcast; their outcomes from its receipt. */
  private async relay(rows: Redemption[]): Promise<Map<bigint, RedemptionOutcome>> {
    const items = rows.map(permitRedemption);
    const request = await this.chain.vault.redeemWithPermitBatch.populateTransaction(items);
    const gasLimit = batchGasLimit(GAS_BASE, this.gasPerRedemption, rows.length);
    const ids = rows.map((row) => row.id);
    let recorded: string | undefined;
    let hash: string;
    try {
      ({ hash } = await this.chain.writer.send(
        { ...request, gasLimit },
        async (sent) => {
          await markRedemptionsSubmitted(this.sql, ids, sent.hash);
          recorded = sent.hash;
        },
      ));
    } catch (error) {
      if (!recorded) throw error;
      // Hardhat's automine mines a reverting transaction (a paused vault) and then refuses it at broadcast.
      const receipt = await this.chain.provider.getTransactionReceipt(recorded);
      if (receipt) {
        this.learnFrom(receipt, gasLimit);
        return receipt.status === 1 ? this.outcomes.fromReceipt(rows, receipt) : this.afterRevert(rows, receipt, revertDataOf(error), true);
      }
      throw error; // Recorded as submitted: the retry asks the node whether it ever took it.
    }
    const receipt = await this.chain.waitForReceipt(hash);
    if (!receipt) throw new Error(`redemptions ${ids.join(", ")}: transaction ${hash} is not mined yet`);
    this.options.onBatch?.(rows.length, receipt.gasUsed);
    this.learnFrom(receipt, gasLimit);
    return receipt.status === 1 ? this.outcomes.fromReceipt(rows, receipt) : this.afterRevert(rows, receipt, undefined, true);
  }

  /**
   * Rows of a relay that reverted. The vault skips what it can check, so a revert may come from one row alone
   * (a token that refuses the vault's burn) and must not fail the others: the rows it refuses now fail with the
   * reason; the others are read from the chain's state like rows without a receipt (pending again, unless
   * their permit was spent elsewhere) and, with `resend` and a row refused, relayed again at once. When the
   * vault refuses every row alike (paused) each fails with the reason from the receipt, as before.
   */
  private async afterRevert(rows: Redemption[], receipt: TransactionReceipt, revertData: string | undefined, resend: boolean) {
    const screened = await screenRedemptions(this.chain, rows);
    if (!screened) return this.outcomes.fromReceipt(rows, receipt, revertData);
    const outcomes = new Map<bigint, RedemptionOutcome>();
    for (const { item, refusal } of screened.refused) {
      outcomes.set(item.id, await this.outcomes.failUnlessRedeemed(item, refusal.code, receipt));
    }
    const again: Redemption[] = [];
    for (const row of [...screened.accepted, ...screened.unchecked]) {
      const outcome = await this.outcomes.fromChainState(row);
      if (outcome) outcomes.set(row.id, outcome);
      else if (screened.accepted.includes(row)) again.push(row);
    }
    // Only after a refusal, so each relay again carries fewer rows and this ends; a revert no row explains
    // (out of gas: the dry run passes) leaves them to their jobs' retries.
    if (resend && screened.refused.length > 0 && again.length > 0) {
      for (const [id, outcome] of await this.relay(again)) outcomes.set(id, outcome);
    }
    return outcomes;
  }

  /**
   * A batch that reverted having used (nearly: a call out of gas leaves 1/64 to its caller) all its gas ran
   * out of it. Its replay finds no reason, so its redemptions go back to pending: give the next try twice as much.
   */
  private learnFrom(receipt: TransactionReceipt, gasLimit: bigint) {
    if (receipt.status !== 1 && receipt.gasUsed >= gasLimit - gasLimit / 32n) this.gasPerRedemption *= 2n;
  }
}
