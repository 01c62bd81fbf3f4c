import type { Interface, Log, TransactionRequest } from "ethers";
import type { Chain } from "../chain/network.js";
import type { JsonObject } from "../db/chain-writes.js";
import type { TransactionSql } from "../db/sql.js";

/** Where a write landed: from its receipt, or from the chain's logs when its answer was lost. */
export interface Mined {
  hash: string;
  blockNumber: number;
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
  /** Writes the state the write serves, in the transaction that confirms it; returns the caller's result. */
  settle(tx: TransactionSql, chain: Chain, payload: JsonObject, mined: Mined): Promise<JsonObject>;
  /** Undoes or marks the state the write served, in the transaction that fails it. */
  fail?(tx: TransactionSql, payload: JsonObject, code: string): Promise<void>;
}
