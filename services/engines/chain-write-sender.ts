import type { TransactionReceipt } from "ethers";
import { estimatedGasLimit } from "../chain/gas.js";
import type { Chain } from "../chain/network.js";
import { revertDataOf, revertReason } from "../chain/revert-reason.js";
import {
  type ChainWrite,
  claimQueuedWrite,
  findChainWrite,
  markWriteFailed,
  markWriteIncluded,
  markWriteSubmitted,
  requeueWrite,
  submittedWrites,
  submittedWritesOf,
} from "../db/chain-writes.js";
import type { Sql } from "../db/sql.js";
import { chainWriteLedger } from "./chain-write-finality.js";
import type { ChainWriteKind, Mined } from "./chain-write-kind.js";
import type { WatchedLedger } from "./finality-watcher.js";
import { PollingEngine } from "./polling-loop.js";

export interface ChainWriteSenderOptions {
  log?: Pick<Console, "info" | "warn" | "error">;
  /** How long to wait for a receipt before asking the chain what became of the transaction. */
  receiptTimeoutMs?: number;
  pollMs?: number;
}

const RETRY_AFTER_ERROR_MS = 1_000;
/** How long a write that failed to send sits out while the writes behind it go ahead. */
const WRITE_RETRY_MS = 5_000;

/**
 * The one sender of the operator's writes other than mint batches: takes queued rows of the transaction
 * outbox in order, records each hash before broadcasting, and settles each from its receipt or, when the
 * answer was lost, from the chain: `included` in a block, then `confirmed` by the finality watcher through
 * `watched()`, which also hands back the writes a reorganisation took away, to be settled anew or sent again. A refusal (the node's estimate reverts, or the transaction mines reverted)
 * fails the row with the contract's reason. Shares the chain's writer, and so its nonce sequence, with the
 * mint batcher of the same key.
 */
export class ChainWriteSender extends PollingEngine {
  private readonly kinds: Map<string, ChainWriteKind>;
  /** Writes that failed to send, and when they may be tried again. */
  private readonly retryAt = new Map<bigint, number>();

  constructor(
    private readonly sql: Sql,
    private readonly chain: Chain,
    kinds: ChainWriteKind[],
    private readonly options: ChainWriteSenderOptions = {},
  ) {
    super({
      pollMs: options.pollMs ?? 500,
      retryMs: RETRY_AFTER_ERROR_MS,
      onError: (error) => options.log?.error({ err: error }, "chain write failed to send; it stays queued"),
    });
    this.kinds = new Map(kinds.map((kind) => [kind.kind, kind]));
    chain.writer.useJournal(sql);
  }

  /**
   * Follows what a previous run left submitted until each settles. Not awaited one by one: a write whose
   * transaction waits on fees (above the ceiling, say) would hold every other write, and the start, behind it.
   */
  async recover(): Promise<void> {
    for (const write of await submittedWrites(this.sql)) {
      this.follow(this.settleLost(write).catch((error) => this.options.log?.error({ err: error, write: String(write.id) }, "could not settle a chain write")));
    }
  }

  /** The outbox as the finality watcher follows it. */
  watched(): WatchedLedger {
    return {
      ledger: chainWriteLedger(this.sql, this.chain, (write) => this.kindOf(write)),
      onReopened: async (txHash) => {
        for (const write of await submittedWritesOf(this.sql, txHash)) await this.settleLost(write);
      },
    };
  }

  private kindOf(write: ChainWrite): ChainWriteKind {
    const kind = this.kinds.get(write.kind);
    if (!kind) throw new Error(`chain write ${write.id} is of unknown kind "${write.kind}"`);
    return kind;
  }

  protected async round(): Promise<boolean> {
    const now = Date.now();
    for (const [id, at] of this.retryAt) if (at <= now) this.retryAt.delete(id);
    const write = await claimQueuedWrite(this.sql, [...this.retryAt.keys()]);
    if (!write) return false;
    try {
      return await this.send(write);
    } catch (error) {
      // Whatever went wrong (the node, or this write), the writes behind it do not wait for it.
      this.retryAt.set(write.id, now + WRITE_RETRY_MS);
      throw error;
    }
  }

  private async send(write: ChainWrite): Promise<boolean> {
    const kind = this.kindOf(write);
    const done = await kind.doneOnChain?.(this.chain, write.payload);
    if (done) {
      await this.include(write, kind, done);
      return true;
    }
    const request = await kind.request(this.chain, write.payload);
    let gasLimit: bigint;
    try {
      gasLimit = estimatedGasLimit(await this.chain.provider.estimateGas({ ...request, from: this.chain.writer.address }));
    } catch (error) {
      const data = revertDataOf(error);
      // Not a refusal (the node is unreachable): the row stays queued and is tried again.
      if (data === undefined && !isRevert(error)) throw error;
      await this.fail(write, kind, revertReason(data, kind.errors, kind.revertedCode));
      return true;
    }
    let recorded = false;
    try {
      const sent = await this.chain.writer.send({ ...request, gasLimit }, async ({ hash, nonce }) => {
        await markWriteSubmitted(this.sql, write.id, { signer: this.chain.writer.address, hash, nonce });
        recorded = true;
      });
      this.track({ ...write, status: "submitted", txHash: sent.hash });
    } catch (error) {
      if (!recorded) throw error;
      const data = revertDataOf(error);
      // A node that mines on arrival refuses a reverting transaction at broadcast, with the revert data.
      if (data !== undefined) await this.fail(write, kind, revertReason(data, kind.errors, kind.revertedCode));
      else await this.settleLost(write);
    }
    return true;
  }

  private track(write: ChainWrite): void {
    this.follow(
      this.chain
        .waitForReceipt(write.txHash!, this.options.receiptTimeoutMs)
        .then((receipt) => (receipt ? this.settleReceipt(write, receipt) : this.settleLost(write)))
        .catch((error) => this.options.log?.error({ err: error, tx: write.txHash }, "could not settle a chain write")),
    );
  }

  private async settleReceipt(write: ChainWrite, receipt: TransactionReceipt): Promise<void> {
    const kind = this.kindOf(write);
    if (receipt.status === 1) {
      await this.include(write, kind, { hash: receipt.hash, blockNumber: receipt.blockNumber, blockHash: receipt.blockHash, logs: receipt.logs });
    }
    else await this.fail(write, kind, kind.revertedCode);
  }

  /**
   * A submitted write without a receipt: mined after all, still waiting in the node's pool, done by an earlier
   * attempt, or gone (never broadcast, or dropped), in which case it is queued to be sent again.
   */
  private async settleLost(lost: ChainWrite): Promise<void> {
    // As recorded now (hash, nonce, signer), and only while still submitted: a settled write stays settled.
    const write = (await findChainWrite(this.sql, lost.id))!;
    if (write.status !== "submitted") return;
    const kind = this.kindOf(write);
    if (write.txHash) {
      const fate = await this.chain.fateOf(write.txHash);
      if (fate === "pending") return this.track(write);
      if (fate !== "unknown") return this.settleReceipt(write, fate);
    }
    const done = await kind.doneOnChain?.(this.chain, write.payload);
    if (done) return this.include(write, kind, done);
    // With no sign on chain to tell whether it ran, a nonce spent by a transaction we cannot see may have
    // carried it out (a replacement the node forgot): sending it again could do it twice. An operator decides.
    if (!kind.doneOnChain && (await this.nonceSpent(write))) {
      this.options.log?.error({ write: String(write.id), nonce: String(write.nonce) }, "a lost chain write's nonce was spent; not sending it again");
      return this.fail(write, kind, "RC_CHAIN_WRITE_NONCE_SPENT");
    }
    this.options.log?.warn({ write: String(write.id), tx: write.txHash }, "chain write never reached the chain; sending it again");
    await requeueWrite(this.sql, write.id);
    this.notify();
  }

  private async nonceSpent(write: ChainWrite): Promise<boolean> {
    if (write.nonce === null || write.signer === null) return false;
    return BigInt(await this.chain.provider.getTransactionCount(write.signer, "latest")) > BigInt(write.nonce);
  }

  private async include(write: ChainWrite, kind: ChainWriteKind, mined: Mined): Promise<void> {
    await this.sql.begin(async (tx) => {
      const result = await kind.settle(tx, this.chain, write.payload, mined);
      await markWriteIncluded(tx, write.id, { txHash: mined.hash, blockNumber: mined.blockNumber, blockHash: mined.blockHash, result });
    });
  }

  private async fail(write: ChainWrite, kind: ChainWriteKind, code: string): Promise<void> {
    this.options.log?.warn({ write: String(write.id), kind: write.kind, code }, "the chain refused a write");
    await this.sql.begin(async (tx) => {
      await kind.fail?.(tx, write.payload, code);
      await markWriteFailed(tx, write.id, code);
    });
  }
}

/** An estimate that reverted without data (a bare `revert()`): still a refusal, not an outage. */
function isRevert(error: unknown): boolean {
  const code = (error as { code?: string } | null)?.code;
  return code === "CALL_EXCEPTION";
}
