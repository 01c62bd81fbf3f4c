/**
 * Rows between inclusion and finality, the same way for every table whose rows a transaction settles
 * (credits, payments): `included` once the transaction is in a block, `confirmed` once enough blocks stand on
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
  /** The transaction sits in another block now (re-included after a reorganisation): included again there. */
  moveToBlock(txHash: string, fromBlock: number, block: { number: number; hash: string }): Promise<void>;
  /** The transaction is in no block any more: its rows are `submitted` again under the same hash. */
  reopen(txHash: string, fromBlock: number): Promise<void>;
  /** Confirms the included rows of blocks up to `deepest`, with whatever a confirmation tells (webhooks). */
  confirmUpTo(deepest: number): Promise<void>;
}

type Table = "events" | "payments";

/** The part of a ledger that is the same for every table: reading blocks, following a transaction. */
export function blockRecords(sql: Sql, table: Table): Omit<FinalityLedger, "name" | "confirmUpTo"> {
  return {
    async blocksAbove(floor) {
      const rows = await sql<{ blockNumber: string; blockHash: string | null }[]>`
        select block_number::text as "blockNumber", block_hash as "blockHash" from ${sql(table)}
        where status in ('included', 'confirmed') and block_number > ${floor}
        group by block_number, block_hash
        order by block_number desc`;
      return rows.map((row) => ({ blockNumber: Number(row.blockNumber), blockHash: row.blockHash }));
    },
    async transactionsIn(blockNumber) {
      const rows = await sql<{ txHash: string }[]>`
        select distinct tx_hash as "txHash" from ${sql(table)}
        where status in ('included', 'confirmed') and block_number = ${blockNumber}`;
      return rows.map((row) => row.txHash);
    },
    async moveToBlock(txHash, fromBlock, block) {
      await sql`
        update ${sql(table)} set status = 'included', block_number = ${block.number}, block_hash = ${block.hash}, updated_at = now()
        where status in ('included', 'confirmed') and block_number = ${fromBlock} and tx_hash = ${txHash}`;
    },
    async reopen(txHash, fromBlock) {
      await sql`
        update ${sql(table)} set status = 'submitted', block_number = null, block_hash = null, updated_at = now()
        where status in ('included', 'confirmed') and block_number = ${fromBlock} and tx_hash = ${txHash}`;
    },
  };
}
