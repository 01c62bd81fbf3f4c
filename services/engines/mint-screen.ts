import { id, isError } from "ethers";
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
const MAX_UINT256 = 2n ** 256n - 1n;
const MINTER_ROLE = id("MINTER_ROLE");

/** The token refuses the program's every mint just now: the batcher's cue to let the program sit out. */
export class ProgramRefused extends Error {
  constructor(readonly code: string, readonly reason: string) {
    super(`the token refuses every mint: ${reason}`);
  }
}

export interface ScreenedMint {
  /** The batch to send: the node ran it through, or the token's state proved it goes through. */
  send: OutboxEvent[];
  /** The events the token stops at, with the decoded reason: to be marked failed. */
  failed: EventFailure[];
  /** Neither sent nor failed this turn: unchecked (past the per-turn bound) or already credited on chain. */
  waiting: OutboxEvent[];
  /** Dry runs it took. */
  calls: number;
}

/**
 * Whether the token's state alone proves `mintBatch` takes the batch, so the dry run can be skipped: it is an
 * EVM execution of the whole batch (~100 ms for 500 credits on the dev node, measured), which cut the
 * batcher's rate by about a third there. mintBatch refuses only a paused token, a caller without MINTER_ROLE
 * and a credit that takes the total supply past 2^256 - 1 (no balance exceeds the supply; an id credited
 * already or a zero address is skipped, not refused). A token changed to refuse more must be checked here.
 */
async function provenSafe(chain: Chain, tokenAddress: string, events: OutboxEvent[]): Promise<boolean> {
  const token = chain.token(tokenAddress);
  // Asked in one tick, so the provider sends the three as one JSON-RPC batch.
  const [paused, minter, supply] = await Promise.all([
    token.paused(),
    token.hasRole(MINTER_ROLE, chain.writer.address),
    token.totalSupply(),
  ]);
  return !paused && minter && events.reduce((sum, e) => sum + e.credit, supply) <= MAX_UINT256;
}

/**
 * Checks a claimed batch against the node before it is sent: unless the token's state proves it safe (and
 * `trusted`: no batch of this token reverted on chain since the batcher started), `mintBatch` runs as an
 * eth_call from the operator on the latest block. A batch the token would revert is bisected to the events
 * it stops at (core/batch-screen), so one bad event (a credit past the supply's 2^256 - 1) fails alone while
 * the others of its batch mint. An error that is not a revert (the node unreachable) is thrown: the batch is
 * then simply claimed again.
 */
export async function screenMint(
  chain: Chain,
  tokenAddress: string,
  events: OutboxEvent[],
  trusted = false,
): Promise<ScreenedMint> {
  if (trusted && (await provenSafe(chain, tokenAddress, events))) return { send: events, failed: [], waiting: [], calls: 0 };
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
