/**
 * Rows between inclusion and finality, the same way for every table whose rows a transaction settles
 * (credits, payments, redemptions, the operator's writes): `included` once the transaction is in a block, `confirmed` once enough blocks stand on
 * it, and `submitted` again under the same hash if a reorganisation takes the block away, to be settled anew
 * from the chain as after a crash.
 */
import type { Sql } from "./sql.js";

/** A block that holds included or recently confirmed rows, as their receipts named it. */
export interface RecordedBlock {
  blockNumber: number;
  blockHash: string | null;
}

/** One table's rows as the finality watcher sees them. */
export interface FinalityLedger {
  /** What the rows are, for the logs: "credits", "payments". */
  name: string;
  /** The blocks above `floor` that carry included or confirmed rows, newest first. */
  blocksAbove(floor: number): Promise<RecordedBlock[]>;
  /** The transactions whose rows the block `blockNumber` (as recorded) holds. */
  transactionsIn(blockNumber: number): Promise<string[]>;
  /**
   * The transaction sits in another block now (re-included after a reorganisation): its rows follow it there,
   * included or refused as they were. A batch relay, which may skip otherwise on other state, is then read anew
   * from its new receipt by its engine (the watcher's `onMoved`).
   */
  moveToBlock(txHash: string, fromBlock: number, block: { number: number; hash: string }): Promise<void>;
  /** The transaction is in no block any more: its rows are `submitted` again under the same hash. */
  reopen(txHash: string, fromBlock: number): Promise<void>;
  /** Confirms the included rows of blocks up to `deepest`, with whatever a confirmation tells (webhooks). */
  confirmUpTo(deepest: number): Promise<void>;
}

type Table = "events" | "payments" | "redemptions" | "chain_writes";

const IN_BLOCK = "status in ('included', 'confirmed')";
const IN_BLOCK_OR_REFUSED = "(status in ('included', 'confirmed') or (status = 'failed' and block_hash is not null))";

/**
 * The rows of `table` that `txHash` carried into a block (included, confirmed, or refused by its receipt), `submitted`
 * again under that hash; their ids. A reorganisation moved the transaction to another block, where a batch relay
 * ran on other state and may have paid or skipped otherwise: its receipt there settles them anew.
 */
export async function reopenCarriedBy(sql: Sql, table: "payments" | "redemptions", txHash: string): Promise<bigint[]> {
  const rows = await sql<{ id: string }[]>`
    update ${sql(table)} set status = 'submitted', block_number = null, block_hash = null, failure_reason = null, updated_at = now()
    where tx_hash = ${txHash} and ${sql.unsafe(IN_BLOCK_OR_REFUSED)}
    returning id`;
  return rows.map((row) => BigInt(row.id));
}

/**
 * The part of a ledger that is the same for every table: reading blocks, following a transaction. With
 * `refusals`, rows a receipt refused (`failed` with a block: a payment skipped for the balance) are followed too:
 * the refusal holds only as long as its block does.
 */
export function blockRecords(sql: Sql, table: Table, options: { refusals?: boolean } = {}): Omit<FinalityLedger, "name" | "confirmUpTo"> {
  // Literal, not bound: the partial indexes on these predicates (migrations 014–016, 019) serve only a query that says the same.
  const inBlock = sql.unsafe(options.refusals ? IN_BLOCK_OR_REFUSED : IN_BLOCK);
  const clearRefusal = options.refusals ? sql`, failure_reason = null` : sql``;
  return {
    async blocksAbove(floor) {
      const rows = await sql<{ blockNumber: string; blockHash: string | null }[]>`
        select block_number::text as "blockNumber", block_hash as "blockHash" from ${sql(table)}
        where ${inBlock} and block_number > ${floor}
        group by block_number, block_hash
        order by block_number desc`;
      return rows.map((row) => ({ blockNumber: Number(row.blockNumber), blockHash: row.blockHash }));
    },
    async transactionsIn(blockNumber) {
      const rows = await sql<{ txHash: string }[]>`
        select distinct tx_hash as "txHash" from ${sql(table)}
        where ${inBlock} and block_number = ${blockNumber}`;
      return rows.map((row) => row.txHash);
    },
    async moveToBlock(txHash, fromBlock, block) {
      await sql`
        update ${sql(table)} set status = case when status = 'failed' then 'failed' else 'included' end,
          block_number = ${block.number}, block_hash = ${block.hash}, updated_at = now()
        where ${inBlock} and block_number = ${fromBlock} and tx_hash = ${txHash}`;
    },
    async reopen(txHash, fromBlock) {
      await sql`
        update ${sql(table)} set status = 'submitted', block_number = null, block_hash = null${clearRefusal}, updated_at = now()
        where ${inBlock} and block_number = ${fromBlock} and tx_hash = ${txHash}`;
    },
  };
}
