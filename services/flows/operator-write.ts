import { RecircleError } from "../core/errors.js";
import { type ChainWrite, waitForChainWrite } from "../db/chain-writes.js";
import type { Sql } from "../db/sql.js";

/** What a flow that records an operator write needs: the database, and how long to wait for the outcome. */
export interface OperatorWriteDeps {
  sql: Sql;
  /** How long a request waits for the operator's sender to settle its write (CHAIN_WRITE_WAIT_MS). */
  writeWaitMs: number;
}

/**
 * The write, once in a block (`included`, or `confirmed` already); a 504 while it is still under way (the write stays in the outbox and a retry of the
 * same request joins it, one live write per subject, instead of sending a second); the chain's refusal as
 * `refused(code)` says, by default a 502 with the contract's reason as its code.
 */
export async function settledWrite(
  deps: OperatorWriteDeps,
  write: ChainWrite,
  what: string,
  refused: (code: `RC_${string}`) => RecircleError = (code) => new RecircleError(code, 502, `the chain refused ${what}`),
): Promise<ChainWrite> {
  const settled = await waitForChainWrite(deps.sql, write.id, deps.writeWaitMs);
  if (settled.status === "queued" || settled.status === "submitted") {
    throw new RecircleError(
      "RC_CHAIN_WRITE_PENDING",
      504,
      `${what} is recorded (write ${settled.id}, ${settled.status}) but not settled on chain yet; ask again to follow it`,
    );
  }
  if (settled.status === "failed") throw refused(settled.error as `RC_${string}`);
  return settled;
}
