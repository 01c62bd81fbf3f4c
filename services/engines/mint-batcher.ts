import { type TransactionReceipt, toBeHex } from "ethers";
import type { Sql } from "../db/sql.js";
import {
  type ClaimedBatch,
  claimPendingBatch,
  commitClaim,
  commitSubmitted,
  finishBatch,
  markFailed,
  markIncluded,
  returnToPending,
  rollbackClaim,
  submittedBatches,
} from "../db/mint-outbox.js";
import { balancesOf } from "../chain/balances.js";
import { estimatedGasLimit, TRANSACTION_GAS_CAP } from "../chain/gas.js";
import { type PackedMint, packMintBatch } from "../core/mint-gas.js";
import type { Chain } from "../chain/network.js";
import { PollingEngine } from "./polling-loop.js";
import { ProgramRefused, screenMint } from "./mint-screen.js";
import { logsSince } from "../chain/logs-in-ranges.js";

export interface MintBatcherOptions {
  /** Events per batch at most; a batch is cut sooner once it would burn the transaction gas cap. */
  batchMax: number;
  batchMs: number;
  /** Batches in flight (sent, receipt not yet seen) at once. */
  maxInFlight?: number;
  log?: Pick<Console, "info" | "warn" | "error">;
  observe?: {
    batchSent?(size: number): void;
    batchConfirmed?(size: number, gasUsed: bigint, latencyMs: number): void;
  };
}

const RETRY_AFTER_ERROR_MS = 1_000;
/** How long a paused token's program sits out before its pause is read again. */
const PAUSED_RECHECK_MS = 2_000;

/**
 * Turns pending events into `mintBatch` transactions: one per program per `batchMax` events or per
 * transaction gas cap (core/mint-gas estimates it), or sooner once the oldest has waited `batchMs`. Every
 * event id is recorded with its transaction hash before the transaction leaves, and the token credits an id
 * at most once, so neither a crash nor a retry can lose or double a credit; `recover()` settles whatever a
 * previous run left in flight. Up to `maxInFlight` batches are sent while earlier receipts are awaited.
 */
export class MintBatcher extends PollingEngine {
  /** The program served last: the next claim takes the one after it, so programs take turns. */
  private lastProgram: bigint | undefined;
  /** Programs whose token was paused, until when they sit out before the pause is read again. */
  private readonly pausedUntil = new Map<bigint, number>();
  /** Programs last seen paused: said once in the log when it begins, once when it ends. */
  private readonly paused = new Set<bigint>();
  /**
   * Tokens a batch of which reverted on chain (or whose broadcast failed) since this batcher started: their
   * batches are always run on the node first, whatever the token's state seems to prove.
   */
  private readonly distrusted = new Set<string>();

  constructor(
    private readonly sql: Sql,
    private readonly chain: Chain,
    private readonly options: MintBatcherOptions,
  ) {
    super({
      pollMs: Math.max(5, Math.min(50, Math.floor(options.batchMs / 4))),
      retryMs: RETRY_AFTER_ERROR_MS,
      onError: (error) => options.log?.error({ err: error }, "mint batch failed; its events stay in the outbox"),
    });
    chain.writer.useJournal(sql);
  }

  protected async round(): Promise<boolean> {
    return this.followed < (this.options.maxInFlight ?? 4) && (await this.sendNextBatch());
  }

  /**
   * Follows the batches a previous run recorded as submitted until each settles: included from whichever of its
   * transactions mined, or back to pending once none of them can mine any more.
   */
  async recover(): Promise<void> {
    for (const batch of await submittedBatches(this.sql)) this.track(batch.token, batch.eventIds, batch.txHash);
  }

  /**
   * A batch whose block was reorganised away (its events are `submitted` again): settled anew from the chain,
   * as after a crash. The node may include it again; if it dropped it, its events go back to pending and the
   * token's event-id bitmap keeps the second mint from crediting twice.
   */
  resettle(txHash: string): Promise<void> {
    // Followed like a recovered batch: never back to pending while the node may still include it.
    const work = submittedBatches(this.sql, txHash).then(([batch]) => batch && this.track(batch.token, batch.eventIds, txHash));
    this.follow(work.catch((error) => this.options.log?.error({ err: error, tx: txHash }, "could not settle a reorganised mint batch")));
    return Promise.resolve();
  }

  private async sendNextBatch(): Promise<boolean> {
    const now = Date.now();
    for (const [program, until] of this.pausedUntil) if (until <= now) this.pausedUntil.delete(program);
    const batch = await claimPendingBatch(this.sql, this.options.batchMax, {
      ...(this.lastProgram !== undefined ? { after: this.lastProgram } : {}),
      skip: [...this.pausedUntil.keys()],
    });
    if (!batch) return false;
    this.lastProgram = batch.programId;
    // Every credit to a fresh holder is the costliest case: a claim that fits even so needs no look at the chain.
    const atWorst = packMintBatch(batch.events, () => false, TRANSACTION_GAS_CAP);
    const cutByGas = atWorst.count < batch.events.length;
    const full = cutByGas || batch.events.length >= this.options.batchMax;
    if (!full && batch.oldestAgeMs < this.options.batchMs && this.running) {
      await rollbackClaim(batch);
      batch.connection.release();
      return false;
    }
    let committedHash: string | undefined;
    try {
      // A paused token refuses every mint: its program waits, sending nothing, while the others take their turns.
      if (await this.chain.token(batch.token).paused()) {
        await rollbackClaim(batch);
        this.sitOut(batch.programId, now, "the program's token is paused; its events wait");
        return true;
      }
      // The events past the cut stay pending (their rows are released with the claim) for the next batch.
      const packed = cutByGas ? await this.packByHolders(batch) : atWorst;
      batch.events = batch.events.slice(0, packed.count);
      // What the token would revert is found before anything is sent: the events it stops at fail with their
      // reason, the others mint now. A batch that reverted on chain comes back here too, never blindly resent.
      const screened = await screenMint(this.chain, batch.token, batch.events, !this.distrusted.has(batch.token.toLowerCase()));
      if (screened.failed.length > 0) {
        this.options.log?.warn(
          { program: String(batch.programId), failed: screened.failed.map((f) => ({ ...f, id: String(f.id) })), dryRuns: screened.calls },
          "the token refuses events of this batch; they are marked failed, the rest are minted",
        );
        await markFailed(batch, screened.failed);
      }
      if (this.paused.delete(batch.programId)) this.options.log?.info({ program: String(batch.programId) }, "the program's token takes mints again");
      batch.events = screened.send;
      if (batch.events.length === 0) {
        await commitClaim(batch);
        return true;
      }
      const sent = await this.chain.writer.send(await this.mintRequest(batch, packed), async ({ hash, nonce }) => {
        await commitSubmitted(batch, hash, nonce);
        committedHash = hash;
      });
      this.options.observe?.batchSent?.(batch.events.length);
      this.track(batch.token, batch.events.map((e) => e.id), sent.hash, Date.now());
      return true;
    } catch (error) {
      if (committedHash === undefined) await rollbackClaim(batch);
      else {
        this.distrusted.add(batch.token.toLowerCase());
        // Recorded, and perhaps taken by the node despite the error: settled once its fate is known.
        this.track(batch.token, batch.events.map((e) => e.id), committedHash);
      }
      if (error instanceof ProgramRefused) {
        this.sitOut(batch.programId, now, "the program's token refuses every mint; its events wait", error.reason);
        return true;
      }
      throw error;
    } finally {
      batch.connection.release();
    }
  }

  /** The program's events wait, unsent, for PAUSED_RECHECK_MS; said once in the log when it begins. */
  private sitOut(programId: bigint, now: number, message: string, reason?: string) {
    if (!this.paused.has(programId)) this.options.log?.warn({ program: String(programId), ...(reason ? { reason } : {}) }, message);
    this.paused.add(programId);
    this.pausedUntil.set(programId, now + PAUSED_RECHECK_MS);
  }

  /**
   * Packs the claim as close to the gas cap as the beneficiaries' balances allow: a credit to a holder costs
   * less than half of one to a fresh holder. Only the beneficiaries of the events that could fit are asked.
   */
  private async packByHolders(batch: ClaimedBatch): Promise<PackedMint> {
    const candidates = batch.events.slice(0, packMintBatch(batch.events, () => true, TRANSACTION_GAS_CAP).count);
    const beneficiaries = [...new Set(candidates.map((e) => e.beneficiary.toLowerCase()))];
    const balances = await balancesOf(this.chain.provider, batch.token, beneficiaries);
    const holders = new Set(beneficiaries.filter((_, i) => balances[i]! > 0n));
    return packMintBatch(candidates, (beneficiary) => holders.has(beneficiary), TRANSACTION_GAS_CAP);
  }

  /**
   * The batch's transaction, its gas limit from the estimate it was packed by (an upper bound) plus room for a
   * holder who empties their balance before it mines, never above the cap.
   */
  private async mintRequest(batch: ClaimedBatch, packed: PackedMint) {
    const token = this.chain.token(batch.token);
    const request = await token.mintBatch.populateTransaction(
      batch.events.map((e) => e.beneficiary),
      batch.events.map((e) => e.credit),
      batch.events.map((e) => e.id),
    );
    return { ...request, gasLimit: estimatedGasLimit(packed.gas) };
  }

  /**
   * Settles the batch recorded with `hash` once one of its transactions (it, or a replacement) mined, or none
   * can any more: never while one may still mine, which would send its events a second time.
   */
  private track(token: string, eventIds: bigint[], hash: string, sentAt?: number): void {
    const settled = async () => {
      let fate = await this.chain.fateOf(hash);
      // Still in the node's pool and followed by no writer (sent before this run's journal): it may yet mine.
      while (fate === "pending") fate = await this.chain.fateOf(hash);
      const receipt = fate === "unknown" ? null : fate;
      await this.settle(token, eventIds, hash, receipt);
      if (receipt?.status === 1 && sentAt !== undefined) {
        this.options.observe?.batchConfirmed?.(eventIds.length, receipt.gasUsed, Date.now() - sentAt);
      }
    };
    this.follow(settled().catch((error) => this.options.log?.error({ err: error, tx: hash }, "could not settle a mint batch")));
  }

  /**
   * Reads the outcome of the mint batch recorded with `hash` from the receipt of whichever of its transactions
   * mined (null: none did, and none can any more).
   */
  private async settle(token: string, eventIds: bigint[], hash: string, receipt: TransactionReceipt | null) {
    if (!receipt) return this.settleByChainState(token, eventIds, hash);
    if (receipt.status !== 1) {
      this.distrusted.add(token.toLowerCase());
      // Not resent as it was: the next claim of these events checks them with the node first.
      this.options.log?.warn({ tx: hash }, "mint batch reverted; its events return to the outbox, to be checked before the next send");
      await returnToPending(this.sql, eventIds);
      await finishBatch(this.sql, hash, { status: "failed", blockNumber: receipt.blockNumber, gasUsed: receipt.gasUsed });
      return;
    }
    // The event id is Credited's first indexed topic: reading it there is O(1) per log, where parseLog
    // hashes every event signature of the ABI for each of up to 500 logs (~180 ms of CPU per full batch).
    const creditedTopic = this.chain.token(token).interface.getEvent("Credited").topicHash;
    const creditedHere = new Set<bigint>();
    for (const log of receipt.logs) {
      if (log.topics[0] === creditedTopic && log.address.toLowerCase() === token.toLowerCase()) {
        creditedHere.add(BigInt(log.topics[1]!));
      }
    }
    // The events name the transaction that credited them: a replacement's hash, when one mined.
    await markIncluded(this.sql, [...creditedHere], receipt.hash, { number: receipt.blockNumber, hash: receipt.blockHash });
    // The rest were credited by an earlier transaction (a retry after a crash): confirm them with it.
    const elsewhere = eventIds.filter((id) => !creditedHere.has(id));
    if (elsewhere.length > 0) await this.confirmFromLogs(token, elsewhere);
    await finishBatch(this.sql, hash, { status: "confirmed", blockNumber: receipt.blockNumber, gasUsed: receipt.gasUsed });
  }

  /** No receipt to go by: the token's bitmap says which events are credited; the rest go back to pending. */
  private async settleByChainState(token: string, eventIds: bigint[], hash: string | undefined) {
    const contract = this.chain.token(token);
    const credited = await Promise.all(eventIds.map((id) => contract.isCredited(id)));
    const done = eventIds.filter((_, i) => credited[i]);
    await this.confirmFromLogs(token, done);
    await returnToPending(this.sql, eventIds.filter((_, i) => !credited[i]));
    if (hash) await finishBatch(this.sql, hash, { status: "failed" });
  }

  private async confirmFromLogs(token: string, eventIds: bigint[]) {
    const contract = this.chain.token(token);
    for (let i = 0; i < eventIds.length; i += 100) {
      const chunk = eventIds.slice(i, i + 100);
      // One query for the whole chunk: a topic given as a list matches any of its values.
      const topics = [contract.interface.getEvent("Credited").topicHash, chunk.map((id) => toBeHex(id, 32))];
      const logs = await logsSince(this.chain, this.chain.deployment.startBlock, (fromBlock, toBlock) =>
        this.chain.provider.getLogs({ address: token, topics, fromBlock, toBlock }),
      );
      const byTx = new Map<string, { block: { number: number; hash: string }; ids: bigint[] }>();
      for (const log of logs) {
        const entry = byTx.get(log.transactionHash) ?? { block: { number: log.blockNumber, hash: log.blockHash }, ids: [] };
        entry.ids.push(BigInt(log.topics[1]!));
        byTx.set(log.transactionHash, entry);
      }
      for (const [txHash, { block, ids }] of byTx) await markIncluded(this.sql, ids, txHash, block);
    }
  }
}
