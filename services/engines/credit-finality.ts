import type { Chain } from "../chain/network.js";
import {
  confirmIncludedUpTo,
  creditBlocksAbove,
  creditTransactionsIn,
  moveCreditsToBlock,
  returnCreditsToSubmitted,
} from "../db/credit-finality.js";
import type { Sql } from "../db/sql.js";
import { PollingEngine } from "./polling-loop.js";

export interface CreditFinalityOptions {
  /** Blocks that must stand on a credit's block before it is confirmed (CHAIN_CONFIRMATIONS). */
  confirmations: number;
  /** How far below the head confirmed credits are still watched for a reorganisation. */
  reorgWindow?: number;
  pollMs?: number;
  log?: Pick<Console, "info" | "warn" | "error">;
  /** Credits whose transaction left the chain: the mint batcher settles them anew. */
  onReorganisedOut(txHash: string): Promise<void>;
}

/** Deeper than any reorganisation a chain worth running on has had; finalized blocks are never watched. */
const DEFAULT_REORG_WINDOW = 64;

/**
 * Moves credits from `included` to `confirmed` once CHAIN_CONFIRMATIONS blocks stand on their block (or the
 * node calls it finalized), and watches included and recently confirmed credits for reorganisations: a
 * block whose hash changed is looked up transaction by transaction, and each credit follows its
 * transaction to its new block or, when it is in none, back to `submitted`.
 */
export class CreditFinality extends PollingEngine {
  /** The head last walked from, by hash: a reorganisation may leave the height as it was. */
  private lastHead: string | undefined;
  private finalized = -1;

  constructor(
    private readonly sql: Sql,
    private readonly chain: Chain,
    private readonly options: CreditFinalityOptions,
  ) {
    super({
      pollMs: options.pollMs ?? 250,
      retryMs: 1_000,
      onError: (error) => options.log?.error({ err: error }, "could not follow credits to finality"),
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
      await this.followReorganisations(await creditBlocksAbove(this.sql, floor));
      this.lastHead = latest.hash;
    }
    // Every round: a credit included at the head is confirmed at once when no confirmations are asked for.
    await confirmIncludedUpTo(this.sql, Math.max(head - this.options.confirmations, this.finalized));
    return false;
  }

  /**
   * Walks the recorded blocks from the newest down and stops at the first the chain still has: a block's
   * hash commits to all its ancestors, so below it nothing was reorganised. Usually one lookup per block.
   */
  private async followReorganisations(blocks: Awaited<ReturnType<typeof creditBlocksAbove>>): Promise<void> {
    for (const recorded of blocks) {
      const block = await this.chain.provider.getBlock(recorded.blockNumber);
      if (block && block.hash === recorded.blockHash) return;
      this.options.log?.warn({ block: recorded.blockNumber }, "a block with credits was reorganised; following its transactions");
      for (const txHash of await creditTransactionsIn(this.sql, recorded.blockNumber)) {
        const receipt = await this.chain.provider.getTransactionReceipt(txHash);
        if (receipt?.blockHash) {
          await moveCreditsToBlock(this.sql, txHash, recorded.blockNumber, { number: receipt.blockNumber, hash: receipt.blockHash });
        } else {
          await returnCreditsToSubmitted(this.sql, txHash, recorded.blockNumber);
          await this.options.onReorganisedOut(txHash);
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
