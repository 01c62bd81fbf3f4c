import type { JSONValue } from "postgres";
import type { Sql, TransactionSql } from "./sql.js";

export type ChainContract = "factory" | "vault" | "token";

/** One decoded log as the chain said it; (blockHash, logIndex) identifies it across re-reads. */
export interface ChainEvent {
  blockNumber: number;
  blockHash: string;
  logIndex: number;
  txHash: string;
  address: string;
  contract: ChainContract;
  name: string;
  args: Record<string, JSONValue>;
}

/** The last block indexed, with its hash so a reorg under it can be noticed. */
export interface Checkpoint {
  blockNumber: number;
  blockHash: string;
}

// Well under PostgreSQL's 65,535 bind parameters at 8 columns a row.
const INSERT_CHUNK = 1_000;

// One indexer writes at a time; a second (a restart overlapping the old process) waits here, then sees that
// the checkpoint moved and gives up its range instead of leaving a gap or moving the checkpoint backwards.
const lock = (tx: TransactionSql) => tx`select pg_advisory_xact_lock(hashtext('recircle.indexer'))`;

const sameCheckpoint = (a: Checkpoint | undefined, b: Checkpoint | undefined) =>
  a?.blockNumber === b?.blockNumber && a?.blockHash === b?.blockHash;

async function checkpointIn(sql: Sql | TransactionSql): Promise<Checkpoint | undefined> {
  const [row] = await sql<{ blockNumber: bigint; blockHash: string }[]>`
    select block_number as "blockNumber", block_hash as "blockHash" from indexer_checkpoint`;
  return row && { blockNumber: Number(row.blockNumber), blockHash: row.blockHash };
}

export const readCheckpoint = (sql: Sql) => checkpointIn(sql);

async function writeCheckpoint(tx: TransactionSql, next: Checkpoint | undefined) {
  if (!next) {
    await tx`delete from indexer_checkpoint`;
    return;
  }
  await tx`
    insert into indexer_checkpoint (block_number, block_hash) values (${next.blockNumber}, ${next.blockHash})
    on conflict (singleton) do update
      set block_number = excluded.block_number, block_hash = excluded.block_hash, updated_at = now()`;
}

/**
 * Stores the logs of a block range and moves the checkpoint to its end, in one transaction, provided the
 * checkpoint is still `expected`. Rows already present are kept: re-reading a range after a crash is harmless.
 * Returns false, writing nothing, when another indexer moved the checkpoint meanwhile.
 */
export function saveRange(sql: Sql, expected: Checkpoint | undefined, events: ChainEvent[], next: Checkpoint) {
  return sql.begin(async (tx) => {
    await lock(tx);
    if (!sameCheckpoint(await checkpointIn(tx), expected)) return false;
    for (let i = 0; i < events.length; i += INSERT_CHUNK) {
      const rows = events.slice(i, i + INSERT_CHUNK).map((e) => ({
        block_number: e.blockNumber,
        block_hash: e.blockHash,
        log_index: e.logIndex,
        tx_hash: e.txHash,
        address: e.address,
        contract: e.contract,
        name: e.name,
        args: tx.json(e.args),
      }));
      await tx`insert into chain_events ${tx(rows)} on conflict (block_hash, log_index) do nothing`;
    }
    await writeCheckpoint(tx, next);
    return true;
  });
}

/**
 * Forgets every event above `to` (all of them when `to` is undefined) and moves the checkpoint there, if it
 * is still `expected`. Returns false when another indexer got there first.
 */
export function rewindTo(sql: Sql, expected: Checkpoint, to: Checkpoint | undefined) {
  return sql.begin(async (tx) => {
    await lock(tx);
    if (!sameCheckpoint(await checkpointIn(tx), expected)) return false;
    await tx`delete from chain_events where block_number > ${to?.blockNumber ?? -1}`;
    await writeCheckpoint(tx, to);
    return true;
  });
}

/** The block of the latest stored event at or below `blockNumber`: what a rewind checks against the chain. */
export async function latestEventBlock(sql: Sql, blockNumber: number): Promise<Checkpoint | undefined> {
  const [row] = await sql<{ blockNumber: bigint; blockHash: string }[]>`
    select block_number as "blockNumber", block_hash as "blockHash" from chain_events
    where block_number <= ${blockNumber} order by block_number desc limit 1`;
  return row && { blockNumber: Number(row.blockNumber), blockHash: row.blockHash };
}

/** Tokens of the programs the factory created, as indexed so far. */
export async function knownProgramTokens(sql: Sql): Promise<string[]> {
  const rows = await sql<{ token: string }[]>`
    select distinct args->>'token' as token from chain_events where contract = 'factory' and name = 'ProgramCreated'`;
  return rows.map((row) => row.token);
}

type Selector = { name?: string; address?: string; fromBlock?: number; toBlock?: number };

/** Stored events in chain order, optionally by event name, contract address and block range. */
export async function findEvents(sql: Sql, where: Selector = {}): Promise<ChainEvent[]> {
  const rows = await sql<(Omit<ChainEvent, "blockNumber"> & { blockNumber: bigint })[]>`
    select block_number as "blockNumber", block_hash as "blockHash", log_index as "logIndex", tx_hash as "txHash",
           address, contract, name, args
    from chain_events
    where (${where.name ?? null}::text is null or name = ${where.name ?? null})
      and (${where.address ?? null}::text is null or address = ${where.address ?? null})
      and block_number between ${where.fromBlock ?? 0} and ${where.toBlock ?? Number.MAX_SAFE_INTEGER}
    order by block_number, log_index`;
  return rows.map((row) => ({ ...row, blockNumber: Number(row.blockNumber) }));
}

/** How many events of each name are stored (for an address, when given). */
export async function countEventsByName(sql: Sql, address?: string): Promise<Record<string, number>> {
  const rows = await sql<{ name: string; n: number }[]>`
    select name, count(*)::int as n from chain_events
    where ${address ?? null}::text is null or address = ${address ?? null}
    group by name`;
  return Object.fromEntries(rows.map((row) => [row.name, row.n]));
}
