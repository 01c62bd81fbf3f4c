/**
 * The operator's transaction outbox (migration 010): a flow records a write here in the same transaction as
 * the state it serves; the one sender of the operator's key (engines/chain-write-sender.ts) signs, records
 * the hash, broadcasts and settles it. Payloads are JSON, so amounts and ids travel as decimal strings.
 */
import type { Queryable, Sql } from "./sql.js";

export type ChainWriteStatus = "queued" | "submitted" | "confirmed" | "failed";
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
  result: JsonObject | null;
  error: string | null;
}

const COLUMNS = `id, kind, subject, payload, status, signer, tx_hash as "txHash", nonce, block_number as "blockNumber", result, error`;

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

export async function markWriteConfirmed(
  db: Queryable,
  id: bigint,
  outcome: { txHash: string | null; blockNumber: number | null; result: JsonObject },
) {
  await db`
    update chain_writes set status = 'confirmed', tx_hash = coalesce(${outcome.txHash}, tx_hash),
      block_number = ${outcome.blockNumber}, result = ${db.json(outcome.result)}, updated_at = now()
    where id = ${String(id)} and status in ('queued', 'submitted')`;
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
 * Waits until write `id` is settled (confirmed or failed), or `timeoutMs` passes: the API answers with the
 * outcome whichever process sent it. Polls, backing off from 20 to 250 ms.
 */
export async function waitForChainWrite(sql: Sql, id: bigint, timeoutMs: number): Promise<ChainWrite> {
  const deadline = Date.now() + timeoutMs;
  for (let delay = 20; ; delay = Math.min(delay * 2, 250)) {
    const write = (await findChainWrite(sql, id))!;
    if (write.status === "confirmed" || write.status === "failed" || Date.now() >= deadline) return write;
    await new Promise((resolve) => setTimeout(resolve, delay));
  }
}
