import type postgres from "postgres";
import type { Sql } from "./sql.js";
import { webhookOutboxInsert } from "./webhook-outbox.js";

/** An accepted event waiting to be minted: its id is the on-chain event id. */
export interface OutboxEvent {
  id: bigint;
  beneficiary: string;
  credit: bigint;
}

/** Pending events of one program, claimed (row-locked) on a reserved connection inside an open transaction. */
export interface ClaimedBatch {
  connection: postgres.ReservedSql<{ bigint: bigint }>;
  programId: bigint;
  token: string;
  events: OutboxEvent[];
  /** Age of the oldest claimed event: a partial batch waits until it reaches BATCH_MS. */
  oldestAgeMs: number;
}

const ids = (sql: Sql | postgres.ReservedSql<{ bigint: bigint }>, values: bigint[]) =>
  sql.array(values.map(String)) as unknown as string[];

/**
 * Claims up to `max` pending events of one program, skipping rows another batcher holds. Programs take turns:
 * the next program after `after` that has pending events (wrapping around), leaving out `skip` (programs that
 * cannot mint now, such as a paused token's), so no program's trouble holds up another's credits. The
 * transaction stays open: the caller records the tx hash and commits before broadcasting, or rolls back.
 * Returns undefined when nothing is pending.
 */
export async function claimPendingBatch(
  sql: Sql,
  max: number,
  turn: { after?: bigint; skip?: bigint[] } = {},
): Promise<ClaimedBatch | undefined> {
  const connection = await sql.reserve();
  const skip = ids(connection, turn.skip ?? []);
  try {
    await connection`begin`;
    const rows = await connection<{ id: bigint; beneficiary: string; credit: string; programId: bigint; token: string; ageMs: number }[]>`
      select e.id, e.beneficiary, e.credit::text as credit, e.program_id as "programId", p.token_address as token,
             (extract(epoch from now() - e.created_at) * 1000)::float8 as "ageMs"
      from events e join programs p on p.id = e.program_id
      where e.status = 'pending'
        and e.program_id = (
          -- The next program after the last served, else the first: each half walks the outbox index in order.
          select program_id from (
            (select program_id from events
             where status = 'pending' and program_id > ${String(turn.after ?? -1n)}::bigint and program_id <> all(${skip}::bigint[])
             order by program_id limit 1)
            union all
            (select program_id from events
             where status = 'pending' and program_id <> all(${skip}::bigint[])
             order by program_id limit 1)) next
          limit 1)
      order by e.id
      limit ${max}
      for update of e skip locked`;
    if (rows.length === 0) {
      await connection`rollback`;
      connection.release();
      return undefined;
    }
    const first = rows[0]!;
    return {
      connection,
      programId: first.programId,
      token: first.token,
      events: rows.map((row) => ({ id: row.id, beneficiary: row.beneficiary, credit: BigInt(row.credit) })),
      oldestAgeMs: Math.max(...rows.map((row) => row.ageMs)),
    };
  } catch (error) {
    await connection`rollback`.catch(() => {});
    connection.release();
    throw error;
  }
}

/** Records the signed batch transaction against its events and commits: the outbox now names the hash. */
export async function commitSubmitted(batch: ClaimedBatch, txHash: string, nonce: number): Promise<void> {
  const { connection } = batch;
  const eventIds = batch.events.map((event) => event.id);
  await connection`
    update events set status = 'submitted', tx_hash = ${txHash}, updated_at = now()
    where id = any(${ids(connection, eventIds)}::bigint[])`;
  await connection`
    insert into mint_batches (program_id, tx_hash, nonce, event_count, status)
    values (${String(batch.programId)}, ${txHash}, ${nonce}, ${eventIds.length}, 'submitted')
    -- The same hash is the same transaction: a batch signed again at the nonce, fees and calldata of one that a
    -- reorganisation took away (its events put back) is that batch again, sent once more.
    on conflict (tx_hash) do update set status = 'submitted', nonce = excluded.nonce, event_count = excluded.event_count,
      block_number = null, gas_used = null, confirmed_at = null`;
  await connection`commit`;
}

export async function rollbackClaim(batch: ClaimedBatch): Promise<void> {
  await batch.connection`rollback`.catch(() => {});
}

/**
 * Marks events credited by `txHash` in the block `block` as `included`, unless already further on: the
 * finality watcher confirms them once enough blocks stand on that block.
 */
export async function markIncluded(sql: Sql, eventIds: bigint[], txHash: string, block: { number: number; hash: string }) {
  if (eventIds.length === 0) return;
  await sql`
    update events set status = 'included', tx_hash = ${txHash}, block_number = ${block.number}, block_hash = ${block.hash},
      updated_at = now()
    where id = any(${ids(sql, eventIds)}::bigint[]) and status in ('pending', 'submitted')`;
}

/** An event the token refuses to mint, with the decoded revert: a stable code and a sentence. */
export interface EventFailure {
  id: bigint;
  code: string;
  reason: string;
}

/**
 * Takes claimed events out of the outbox as `failed`, on the claim's open transaction (they commit with the
 * rest of the batch, or roll back with it), and tells each issuer with a `credit.failed` webhook.
 */
export async function markFailed(batch: ClaimedBatch, failures: EventFailure[]) {
  if (failures.length === 0) return;
  const { connection: db } = batch;
  await db`
    with failure as (
      select * from unnest(${ids(db, failures.map((f) => f.id))}::bigint[], ${db.array(failures.map((f) => f.code))}::text[],
        ${db.array(failures.map((f) => f.reason))}::text[]) as f (id, code, reason)),
    changed as (
      update events e set status = 'failed', failure_code = f.code, failure_reason = f.reason, failed_at = now(),
        updated_at = now()
      from failure f
      where e.id = f.id and e.status = 'pending'
      returning e.id, e.program_id, e.issuer_id, e.beneficiary, e.credit, f.code, f.reason),
    webhook as (
      select jsonb_build_object('eventId', id, 'programId', program_id, 'beneficiary', beneficiary,
        'tokens', trim_scale(credit * 0.000000000000000001)::text, 'code', code, 'reason', reason) as payload,
        array[issuer_id] as member_ids
      from changed)
    ${webhookOutboxInsert(db, "credit.failed")}`;
}

/** Ends a claim that sends nothing, keeping what it changed (events marked failed). */
export async function commitClaim(batch: ClaimedBatch): Promise<void> {
  await batch.connection`commit`;
}

/** Puts events back in the outbox: their transaction never made it (or reverted). */
export async function returnToPending(sql: Sql, eventIds: bigint[]) {
  if (eventIds.length === 0) return;
  await sql`
    update events set status = 'pending', tx_hash = null, updated_at = now()
    where id = any(${ids(sql, eventIds)}::bigint[]) and status = 'submitted'`;
}

export async function finishBatch(
  sql: Sql,
  txHash: string,
  outcome: { status: "confirmed" | "failed"; blockNumber?: number; gasUsed?: bigint },
) {
  await sql`
    update mint_batches set status = ${outcome.status}, block_number = ${outcome.blockNumber ?? null},
      gas_used = ${outcome.gasUsed === undefined ? null : String(outcome.gasUsed)}, confirmed_at = now()
    where tx_hash = ${txHash}`;
}

/** Events recorded as sent whose outcome this process has not seen, grouped by transaction (or of one). */
export async function submittedBatches(sql: Sql, txHash?: string) {
  const rows = await sql<{ txHash: string; token: string; eventIds: string[] }[]>`
    select e.tx_hash as "txHash", p.token_address as token, array_agg(e.id order by e.id)::text[] as "eventIds"
    from events e join programs p on p.id = e.program_id
    where e.status = 'submitted' ${txHash === undefined ? sql`` : sql`and e.tx_hash = ${txHash}`}
    group by e.tx_hash, p.token_address`;
  return rows.map((row) => ({ txHash: row.txHash, token: row.token, eventIds: row.eventIds.map(BigInt) }));
}
