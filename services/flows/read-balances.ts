import type { Chain } from "../chain/network.js";
import type { TokenBalance } from "../db/ledger.js";
import { findProgram } from "../db/programs.js";
import type { Sql } from "../db/sql.js";

export interface BalancesDeps {
  sql: Sql;
  /** Block reads and balanceOf: any node that answers those will do. */
  chain: { provider: Pick<Chain["provider"], "getBlockNumber" | "getBlock">; token: Chain["token"] };
}

/** One of our rows that moved a holder's tokens: its program and the block it was included in, if any yet. */
export interface Movement {
  programId: bigint;
  blockNumber: bigint | null;
}

export interface Balances {
  balances: TokenBalance[];
  /** The block the balances are as of: the indexer's checkpoint, or the head when they were read there. */
  block: number | null;
  /** The holder has movements on chain the index has not reached, and the node could not be read for them. */
  updating: boolean;
}

/**
 * A holder's balances, including what is on chain but not yet indexed. The index stays CHAIN_CONFIRMATIONS
 * behind the head, while a credit or payment is confirmed to its holder from the receipt: the index alone
 * would show "no tokens" under a confirmed credit. When one of `movements` is above the checkpoint, every
 * program the holder touched is read with balanceOf at the head instead (rarely: a read right after a
 * movement); otherwise the index answers alone, without the node.
 */
export async function balancesNow(
  deps: BalancesDeps,
  holder: string,
  indexed: TokenBalance[],
  indexedBlock: number | null,
  movements: Movement[],
): Promise<Balances> {
  const unindexed = movements.filter((m) => m.blockNumber !== null && (indexedBlock === null || m.blockNumber > BigInt(indexedBlock)));
  if (unindexed.length === 0) return { balances: indexed, block: indexedBlock, updating: false };
  const programs = new Map(indexed.map((b) => [b.programId, b]));
  for (const { programId } of unindexed) {
    if (programs.has(programId)) continue;
    const program = await findProgram(deps.sql, programId);
    if (program) programs.set(programId, { programId, name: program.name, symbol: program.symbol, token: program.token, balance: 0n });
  }
  try {
    const head = await deps.chain.provider.getBlockNumber();
    const balances = await Promise.all(
      [...programs.values()].map(async (b) => ({ ...b, balance: await deps.chain.token(b.token).balanceOf(holder, { blockTag: head }) })),
    );
    return { balances: balances.sort((a, b) => (a.programId < b.programId ? -1 : 1)), block: head, updating: false };
  } catch {
    // The node is unreachable: the index's balances, said to be updating rather than passed off as current.
    return { balances: indexed, block: indexedBlock, updating: true };
  }
}
