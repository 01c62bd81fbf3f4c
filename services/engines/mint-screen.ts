import { isError } from "ethers";
import { RewardToken__factory } from "../../types/ethers-contracts/index.js";
import { screenBatch } from "../core/batch-screen.js";
import type { EventFailure, OutboxEvent } from "../db/mint-outbox.js";
import type { Chain } from "../chain/network.js";
import { describeRevert, revertDataOf } from "../chain/revert-reason.js";

const INTERFACES = [RewardToken__factory.createInterface()];
/**
 * Refusals of the whole batch, whatever its events: the token paused, or the operator without the minter role.
 * No event is to blame, so none is failed; the program sits out instead.
 */
const PROGRAM_REFUSALS = new Set(["RC_ENFORCED_PAUSE", "RC_ACCESS_CONTROL_UNAUTHORIZED_ACCOUNT"]);
/** Guilty events found per turn at most, so one turn's dry runs stay bounded (~80 for a batch of 500). */
const MAX_FAILED_PER_TURN = 8;

/** The token refuses the program's every mint just now: the batcher's cue to let the program sit out. */
export class ProgramRefused extends Error {
  constructor(readonly code: string, readonly reason: string) {
    super(`the token refuses every mint: ${reason}`);
  }
}

export interface ScreenedMint {
  /** The batch to send: the node ran it through. */
  send: OutboxEvent[];
  /** The events the token stops at, with the decoded reason: to be marked failed. */
  failed: EventFailure[];
  /** Neither sent nor failed this turn: unchecked (past the per-turn bound) or already credited on chain. */
  waiting: OutboxEvent[];
  /** Dry runs it took. */
  calls: number;
}

/**
 * Checks a claimed batch against the node before it is sent: `mintBatch` as an eth_call from the operator, on
 * the latest block. A batch the token would revert is bisected to the events it stops at (core/batch-screen),
 * so one bad event (a credit past the supply's 2^256 - 1) fails alone while the others of its batch mint.
 * An error that is not a revert (the node unreachable) is thrown: the batch is then simply claimed again.
 */
export async function screenMint(chain: Chain, tokenAddress: string, events: OutboxEvent[]): Promise<ScreenedMint> {
  const token = chain.token(tokenAddress);
  const dryRun = async (batch: OutboxEvent[]) => {
    try {
      await token.mintBatch.staticCall(
        batch.map((e) => e.beneficiary),
        batch.map((e) => e.credit),
        batch.map((e) => e.id),
      );
      return undefined;
    } catch (error) {
      if (!isError(error, "CALL_EXCEPTION")) throw error;
      const revert = describeRevert(revertDataOf(error), INTERFACES, "RC_MINT_REVERTED");
      if (PROGRAM_REFUSALS.has(revert.code)) throw new ProgramRefused(revert.code, revert.reason);
      return revert;
    }
  };
  const screened = await screenBatch(events, dryRun, MAX_FAILED_PER_TURN);
  // Exactly once: a credited event is never failed. The token skips an id it has credited rather than revert,
  // so a refused one can be credited only by a transaction that mined since the dry run; it stays pending
  // and the next batch confirms it from its Credited log.
  const credited = await Promise.all(screened.refused.map(({ item }) => token.isCredited(item.id)));
  return {
    send: screened.accepted,
    failed: screened.refused
      .filter((_, i) => !credited[i])
      .map(({ item, refusal }) => ({ id: item.id, code: refusal.code, reason: refusal.reason })),
    waiting: [...screened.refused.filter((_, i) => credited[i]).map(({ item }) => item), ...screened.unchecked],
    calls: screened.calls,
  };
}
