import type { Interface, Log, TransactionRequest } from "ethers";
import type { Chain } from "../chain/network.js";
import type { JsonObject } from "../db/chain-writes.js";
import type { TransactionSql } from "../db/sql.js";

/** Where a write landed: from its receipt, or from the chain's logs when its answer was lost. */
export interface Mined {
  hash: string;
  blockNumber: number;
  blockHash: string;
  logs: readonly Log[];
}

/**
 * One kind of operator write (create a program, certify a lot, ...), as the flow that records it defines it
 * and the one sender (chain-write-sender.ts) carries it out.
 */
export interface ChainWriteKind {
  kind: string;
  /** The transaction that carries out `payload`. */
  request(chain: Chain, payload: JsonObject): Promise<TransactionRequest>;
  /**
   * Where the chain shows the write already done (an earlier attempt mined but its outcome was lost), so it is
   * settled instead of sent again; undefined when the chain has no sign of it. Kinds without such a sign omit it.
   */
  doneOnChain?(chain: Chain, payload: JsonObject): Promise<Mined | undefined>;
  /** Interfaces whose custom errors name a refusal, as `RC_…` codes. */
  errors: Interface[];
  /** The code a write that mined but reverted fails with. */
  revertedCode: `RC_${string}`;
  /**
   * Writes the state the write serves once its transaction is in a block, in the transaction that records it
   * `included`; returns the caller's result. Runs again if a reorganisation takes the block away and the write
   * lands anew, so it must take a second landing as the only one (after `reopen`).
   */
  settle(tx: TransactionSql, chain: Chain, payload: JsonObject, mined: Mined): Promise<JsonObject>;
  /** What only a confirmation may tell (webhooks), in the transaction that confirms the write. */
  confirmed?(tx: TransactionSql, chain: Chain, payload: JsonObject, mined: { hash: string; blockNumber: number }): Promise<void>;
  /** A reorganisation moved the transaction to another block: the state `settle` wrote follows it. */
  moved?(tx: TransactionSql, payload: JsonObject, block: { hash: string; number: number }): Promise<void>;
  /** A reorganisation took the transaction out of the chain: the state `settle` wrote waits for it again. */
  reopen?(tx: TransactionSql, payload: JsonObject): Promise<void>;
  /** Undoes or marks the state the write served, in the transaction that fails it. */
  fail?(tx: TransactionSql, payload: JsonObject, code: string): Promise<void>;
}
