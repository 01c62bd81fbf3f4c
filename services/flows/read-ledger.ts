import { readCheckpoint } from "../db/chain-events.js";
import { type Collector, findCollectorByAddress } from "../db/collectors.js";
import { eventsOfBeneficiary, type CreditEvent } from "../db/events.js";
import { tokenBalances, unexplainedTransfers, type ChainTransfer, type TokenBalance } from "../db/ledger.js";
import { paymentsOfWallet, type Payment } from "../db/payments.js";
import { reversalsOfHolder, type Reversal } from "../db/reversals.js";
import { balancesNow, type BalancesDeps } from "./read-balances.js";

/** Histories are bounded: the latest this many movements of each source, merged. */
export const HISTORY_LIMIT = 200;

/** What reading a ledger needs: the indexed tables, and the node for the times of blocks and the unindexed balances. */
export type LedgerDeps = BalancesDeps;

/** One movement of a wallet, from whichever source recorded it, placed in time by `at`. */
export type LedgerEntry = { at: Date } & (
  | { source: "event"; event: CreditEvent }
  | { source: "payment"; payment: Payment }
  | { source: "transfer"; transfer: ChainTransfer }
  | { source: "reversal"; reversal: Reversal }
);

export interface Ledger {
  wallet: string;
  collector: Collector | undefined;
  indexedBlock: number | null;
  /** Including what is on chain but not yet indexed: see balancesNow. */
  balances: TokenBalance[];
  balancesBlock: number | null;
  updating: boolean;
  /** Newest first, at most HISTORY_LIMIT. */
  history: LedgerEntry[];
}

/**
 * chain_events keeps no block times, and the other sources are ordered by when we recorded them; a transfer
 * made without us is placed by its block's time instead, asked of the node (a handful: such transfers are rare).
 */
async function blockTimes(deps: LedgerDeps, transfers: ChainTransfer[]): Promise<Map<bigint, Date>> {
  const blocks = [...new Set(transfers.map((t) => t.blockNumber))];
  const times = await Promise.all(blocks.map(async (n) => (await deps.chain.provider.getBlock(Number(n)))?.timestamp));
  // A block the node no longer has (a reorg the indexer has not rewound yet) sorts last rather than failing the read.
  return new Map(blocks.map((n, i) => [n, new Date((times[i] ?? 0) * 1000)]));
}

/** A wallet's balances and its latest movements of every source, merged newest first. `wallet` is EIP-55. */
export async function readLedger(deps: LedgerDeps, wallet: string): Promise<Ledger> {
  const { sql } = deps;
  // The checkpoint first: the index (committed with it) is then at least that far when the rest is read, so a
  // movement the read sees at or below it is in the indexed balances, and one above it is read from the node.
  const checkpoint = await readCheckpoint(sql);
  const [collector, indexed, events, payments, transfers, reversals] = await Promise.all([
    findCollectorByAddress(sql, wallet),
    tokenBalances(sql, wallet),
    eventsOfBeneficiary(sql, wallet, HISTORY_LIMIT),
    paymentsOfWallet(sql, wallet, HISTORY_LIMIT),
    unexplainedTransfers(sql, wallet, HISTORY_LIMIT),
    reversalsOfHolder(sql, wallet, HISTORY_LIMIT),
  ]);
  const indexedBlock = checkpoint?.blockNumber ?? null;
  const movements = [...events, ...payments, ...reversals];
  const [times, now] = await Promise.all([blockTimes(deps, transfers), balancesNow(deps, wallet, indexed, indexedBlock, movements)]);
  const history: LedgerEntry[] = [
    ...events.map((event) => ({ source: "event" as const, at: event.createdAt, event })),
    ...payments.map((payment) => ({ source: "payment" as const, at: payment.createdAt, payment })),
    ...transfers.map((transfer) => ({ source: "transfer" as const, at: times.get(transfer.blockNumber)!, transfer })),
    ...reversals.map((reversal) => ({ source: "reversal" as const, at: reversal.createdAt, reversal })),
  ]
    // Newest first; the sort is stable, so each source keeps its order on ties.
    .sort((a, b) => b.at.getTime() - a.at.getTime())
    .slice(0, HISTORY_LIMIT);
  return { wallet, collector, indexedBlock, balances: now.balances, balancesBlock: now.block, updating: now.updating, history };
}
