/**
 * The operator's transaction outbox (migration 010): a flow records a write here in the same transaction as
 * the state it serves; the one sender of the operator's key (engines/chain-write-sender.ts) signs, records
 * the hash, broadcasts and settles it. Payloads are JSON, so amounts and ids travel as decimal strings.
 */
import type { Queryable, Sql } from "./sql.js";

export type ChainWriteStatus = "queued" | "submitted" | "included" | "confirmed" | "failed";
export type JsonObject = { [key: string]: JsonValue };
export type JsonValue = string | number | boolean | null | JsonValue[] | JsonObject;

export interface ChainWrite {
  id: bigint;
  kind: string;
  subject: string;
  payload: JsonObject;
  status: ChainWriteStatus;
  /** The address that signed its last attempt. */
  signer: string | null;
  txHash: string | null;
  nonce: bigint | null;
  blockNumber: bigint | null;
  blockHash: string | null;
  result: JsonObject | null;
  error: string | null;
}

const COLUMNS = `id, kind, subject, payload, status, signer, tx_hash as "txHash", nonce, block_number as "blockNumber", block_hash as "blockHash", result, error`;

/** The channel a flow notifies after recording a write, so the sender need not wait for its next poll. */
export const CHAIN_WRITES_CHANNEL = "recircle_chain_writes";

/**
 * Records a write, or answers the live one for the same kind and subject (a retried request joins the write
 * already under way instead of sending a second). Call inside the transaction that writes the state it serves.
 */
export async function recordChainWrite(
  db: Queryable,
  write: { kind: string; subject: string; payload: JsonObject },
): Promise<ChainWrite> {
  const [inserted] = await db`
    insert into chain_writes (kind, subject, payload) values (${write.kind}, ${write.subject}, ${db.json(write.payload)})
    on conflict (kind, subject) where status <> 'failed' do nothing
    returning ${db.unsafe(COLUMNS)}`;
  if (inserted) {
    await db`select pg_notify(${CHAIN_WRITES_CHANNEL}, ${String(inserted.id)})`;
    return inserted as ChainWrite;
  }
  return (await liveChainWrite(db, write.kind, write.subject))!;
}

export async function liveChainWrite(db: Queryable, kind: string, subject: string): Promise<ChainWrite | undefined> {
  const [row] = await db`
    select ${db.unsafe(COLUMNS)} from chain_writes where kind = ${kind} and subject = ${subject} and status <> 'failed'`;
  return row as ChainWrite | undefined;
}

export async function findChainWrite(db: Queryable, id: bigint): Promise<ChainWrite | undefined> {
  const [row] = await db`select ${db.unsafe(COLUMNS)} from chain_writes where id = ${String(id)}`;
  return row as ChainWrite | undefined;
}

/** The oldest queued write but those in `skip` (writes that failed to send a moment ago wait their turn again). */
export async function claimQueuedWrite(db: Queryable, skip: bigint[] = []): Promise<ChainWrite | undefined> {
  const [row] = await db`
    select ${db.unsafe(COLUMNS)} from chain_writes
    where status = 'queued' and id <> all(${db.array(skip.map(String)) as unknown as string[]}::bigint[])
    order by id limit 1`;
  return row as ChainWrite | undefined;
}

/** The hash, recorded before the transaction leaves: a row then names anything that may be on chain. */
export async function markWriteSubmitted(db: Queryable, id: bigint, sent: { signer: string; hash: string; nonce: number }) {
  await db`
    update chain_writes set status = 'submitted', signer = ${sent.signer}, tx_hash = ${sent.hash}, nonce = ${sent.nonce},
      attempts = attempts + 1, updated_at = now()
    where id = ${String(id)}`;
}

/** In a block: the state it serves is written (kind.settle); confirmed later, once enough blocks stand on it. */
export async function markWriteIncluded(
  db: Queryable,
  id: bigint,
  outcome: { txHash: string | null; blockNumber: number | null; blockHash: string | null; result: JsonObject },
) {
  await db`
    update chain_writes set status = 'included', tx_hash = coalesce(${outcome.txHash}, tx_hash),
      block_number = ${outcome.blockNumber}, block_hash = ${outcome.blockHash}, result = ${db.json(outcome.result)}, updated_at = now()
    where id = ${String(id)} and status in ('queued', 'submitted')`;
}

/** Included writes in blocks up to `deepest`, oldest first, for the finality watcher to confirm one by one. */
export async function includedWritesUpTo(db: Queryable, deepest: number): Promise<ChainWrite[]> {
  return (await db`
    select ${db.unsafe(COLUMNS)} from chain_writes
    where status = 'included' and block_number <= ${deepest} order by id`) as unknown as ChainWrite[];
}

/** Included or confirmed writes of transaction `txHash` in block `blockNumber`, as recorded. */
export async function writesInBlock(db: Queryable, txHash: string, blockNumber: number): Promise<ChainWrite[]> {
  return (await db`
    select ${db.unsafe(COLUMNS)} from chain_writes
    where status in ('included', 'confirmed') and block_number = ${blockNumber} and tx_hash = ${txHash} order by id`) as unknown as ChainWrite[];
}

/** Writes of `txHash` that are submitted (a reorganisation took their block away), for the sender to settle anew. */
export async function submittedWritesOf(db: Queryable, txHash: string): Promise<ChainWrite[]> {
  return (await db`
    select ${db.unsafe(COLUMNS)} from chain_writes where status = 'submitted' and tx_hash = ${txHash} order by id`) as unknown as ChainWrite[];
}

/** Confirms an included write; false when it is not included any more (a reorganisation came first). */
export async function markWriteConfirmed(db: Queryable, id: bigint): Promise<boolean> {
  const rows = await db`
    update chain_writes set status = 'confirmed', updated_at = now() where id = ${String(id)} and status = 'included' returning id`;
  return rows.length > 0;
}

export async function markWriteFailed(db: Queryable, id: bigint, error: string) {
  await db`
    update chain_writes set status = 'failed', error = ${error}, updated_at = now()
    where id = ${String(id)} and status in ('queued', 'submitted')`;
}

/** Back to the queue: its transaction is not on chain and never will be (dropped, or never broadcast). */
export async function requeueWrite(db: Queryable, id: bigint) {
  await db`
    update chain_writes set status = 'queued', tx_hash = null, nonce = null, updated_at = now()
    where id = ${String(id)} and status = 'submitted'`;
}

/** Writes a previous run left submitted: their outcome is settled from the chain before anything new is sent. */
export async function submittedWrites(db: Queryable): Promise<ChainWrite[]> {
  return (await db`
    select ${db.unsafe(COLUMNS)} from chain_writes where status = 'submitted' order by id`) as unknown as ChainWrite[];
}

/**
 * Waits until write `id` is settled (in a block, confirmed or failed), or `timeoutMs` passes: the API answers
 * with the outcome whichever process sent it. Polls, backing off from 20 to 250 ms.
 */
export async function waitForChainWrite(sql: Sql, id: bigint, timeoutMs: number): Promise<ChainWrite> {
  const deadline = Date.now() + timeoutMs;
  for (let delay = 20; ; delay = Math.min(delay * 2, 250)) {
    const write = (await findChainWrite(sql, id))!;
    if (write.status !== "queued" && write.status !== "submitted") return write;
    if (Date.now() >= deadline) return write;
    await new Promise((resolve) => setTimeout(resolve, delay));
  }
}
