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
  /** The head last walked from: a reorganisation may leave the height as it was, so it is known by its hash too. */
  private lastHead: { number: number; hash: string } | undefined;
  /**
   * Blocks looked up and found as recorded, by height, up to the last head: they stand as long as that head does (a
   * block's hash commits to all its ancestors), so each is asked for once, not once per head.
   */
  private readonly standing = new Map<number, string>();
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
    if (latest.hash !== this.lastHead?.hash) {
      this.finalized = await this.finalizedBlock(head);
      const floor = Math.max(this.finalized, head - (this.options.reorgWindow ?? DEFAULT_REORG_WINDOW));
      if (!(await this.lastHeadStands())) this.standing.clear();
      for (const watched of this.ledgers) await this.followReorganisations(watched, await watched.ledger.blocksAbove(floor), head);
      for (const height of this.standing.keys()) if (height <= floor) this.standing.delete(height);
      this.lastHead = { number: head, hash: latest.hash };
    }
    // Every round: a row included at the head is confirmed at once when no confirmations are asked for.
    const deepest = Math.max(head - this.options.confirmations, this.finalized);
    for (const { ledger } of this.ledgers) await ledger.confirmUpTo(deepest);
    return false;
  }

  private async lastHeadStands(): Promise<boolean> {
    if (!this.lastHead) return false;
    return (await this.chain.provider.getBlock(this.lastHead.number))?.hash === this.lastHead.hash;
  }

  /**
   * Looks up each recorded block not known to stand, newest first, and follows the transactions of those the chain
   * no longer has. Every one is looked at: a recorded block the chain still has says nothing of older ones, which
   * may have been recorded on a chain that a reorganisation replaced before a newer row was recorded on the new one
   * (while no watcher ran, or between two rounds).
   */
  private async followReorganisations({ ledger, onReopened, onMoved }: WatchedLedger, blocks: RecordedBlock[], head: number): Promise<void> {
    for (const recorded of blocks) {
      if (recorded.blockHash !== null && this.standing.get(recorded.blockNumber) === recorded.blockHash) continue;
      const block = await this.chain.provider.getBlock(recorded.blockNumber);
      if (block?.hash && block.hash === recorded.blockHash) {
        // Above the head this walk is from, the head's standing would not vouch for it.
        if (recorded.blockNumber <= head) this.standing.set(recorded.blockNumber, block.hash);
        continue;
      }
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
