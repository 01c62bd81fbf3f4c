import type { TransactionReceipt } from "ethers";
import type { Chain } from "../chain/network.js";
import type { FinalityLedger, RecordedBlock } from "../db/finality.js";
import { PollingEngine } from "./polling-loop.js";

/** A ledger to watch, and who settles anew the rows of a transaction that left the chain. */
export interface WatchedLedger {
  ledger: FinalityLedger;
  /** The rows of `txHash` are `submitted` again: the engine that sent it settles them from the chain. */
  onReopened(txHash: string): Promise<void>;
  /**
   * The rows of a transaction that now sits in another block have moved with it; a ledger whose transactions
   * may do otherwise on other state (a batch relay that skips) reads them anew from `receipt`.
   */
  onMoved?(receipt: TransactionReceipt): Promise<void>;
}

export interface FinalityWatcherOptions {
  /** Blocks that must stand on a row's block before it is confirmed (CHAIN_CONFIRMATIONS). */
  confirmations: number;
  /** How far below the head confirmed rows are still watched for a reorganisation. */
  reorgWindow?: number;
  pollMs?: number;
  log?: Pick<Console, "info" | "warn" | "error">;
}

/** Deeper than any reorganisation a chain worth running on has had; finalized blocks are never watched. */
const DEFAULT_REORG_WINDOW = 64;

/**
 * Moves rows from `included` to `confirmed` once CHAIN_CONFIRMATIONS blocks stand on their block (or the
 * node calls it finalized), and watches included and recently confirmed rows for reorganisations: a block
 * whose hash changed is looked up transaction by transaction, and each row follows its transaction to its
 * new block or, when it is in none, back to `submitted`, for its sender to settle anew.
 */
export class FinalityWatcher extends PollingEngine {
  /** The head last walked from, by hash: a reorganisation may leave the height as it was. */
  private lastHead: string | undefined;
  private finalized = -1;

  constructor(
    private readonly chain: Chain,
    private readonly ledgers: WatchedLedger[],
    private readonly options: FinalityWatcherOptions,
  ) {
    super({
      pollMs: options.pollMs ?? 250,
      retryMs: 1_000,
      onError: (error) => options.log?.error({ err: error }, "could not follow transactions to finality"),
    });
  }

  protected async round(): Promise<boolean> {
    const latest = await this.chain.provider.getBlock("latest");
    if (!latest?.hash) return false;
    const head = latest.number;
    // Reorganisations come with a new head: the chain is walked once per head, not once per round.
    if (latest.hash !== this.lastHead) {
      this.finalized = await this.finalizedBlock(head);
      const floor = Math.max(this.finalized, head - (this.options.reorgWindow ?? DEFAULT_REORG_WINDOW));
      for (const watched of this.ledgers) await this.followReorganisations(watched, await watched.ledger.blocksAbove(floor));
      this.lastHead = latest.hash;
    }
    // Every round: a row included at the head is confirmed at once when no confirmations are asked for.
    const deepest = Math.max(head - this.options.confirmations, this.finalized);
    for (const { ledger } of this.ledgers) await ledger.confirmUpTo(deepest);
    return false;
  }

  /**
   * Walks the recorded blocks from the newest down and stops at the first the chain still has: a block's
   * hash commits to all its ancestors, so below it nothing was reorganised. Usually one lookup per head.
   */
  private async followReorganisations({ ledger, onReopened, onMoved }: WatchedLedger, blocks: RecordedBlock[]): Promise<void> {
    for (const recorded of blocks) {
      const block = await this.chain.provider.getBlock(recorded.blockNumber);
      if (block && block.hash === recorded.blockHash) return;
      this.options.log?.warn({ block: recorded.blockNumber }, `a block with ${ledger.name} was reorganised; following its transactions`);
      for (const txHash of await ledger.transactionsIn(recorded.blockNumber)) {
        const receipt = await this.chain.provider.getTransactionReceipt(txHash);
        if (receipt?.blockHash) {
          await ledger.moveToBlock(txHash, recorded.blockNumber, { number: receipt.blockNumber, hash: receipt.blockHash });
          await onMoved?.(receipt);
        } else {
          await ledger.reopen(txHash, recorded.blockNumber);
          // The node's nonce for our key may have gone back with the block: the next send asks it again.
          this.chain.writer.rewind();
          await onReopened(txHash);
        }
      }
    }
  }

  /** The node's finalized block where it keeps one (-1 where it does not): such a block is never reorganised. */
  private async finalizedBlock(head: number): Promise<number> {
    try {
      const block = await this.chain.provider.getBlock("finalized");
      // A node without finality (a dev node) may answer with its head: that is no promise, so it counts for nothing.
      return block && block.number < head ? block.number : -1;
    } catch {
      return -1;
    }
  }
}
