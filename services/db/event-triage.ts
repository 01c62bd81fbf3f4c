import { COLUMNS, type CreditEvent, parseRow } from "./events.js";
import type { Queryable } from "./sql.js";
import { webhookOutboxInsert } from "./webhook-outbox.js";

/**
 * The events an admin looks after when minting does not go through: `failed` (the token refused them) and
 * `stuck` (pending or submitted for longer than `stuckSeconds`, by their last change).
 */
export type TroubledState = "failed" | "stuck";

export interface TroubledQuery {
  state: TroubledState;
  stuckSeconds: number;
  programId?: bigint;
  /** Keyset pagination: events with a greater id than this one. */
  after?: bigint;
  limit: number;
}

/** Oldest first, on the partial indexes of failed (events_failed) and unfinished (events_outbox) events. */
export async function listTroubledEvents(db: Queryable, query: TroubledQuery): Promise<CreditEvent[]> {
  const state =
    query.state === "failed"
      ? db`status = 'failed'`
      : db`status in ('pending', 'submitted') and updated_at < now() - make_interval(secs => ${query.stuckSeconds})`;
  const rows = await db`
    select ${db.unsafe(COLUMNS)} from events
    where ${state}
      ${query.programId === undefined ? db`` : db`and program_id = ${String(query.programId)}`}
      and id > ${String(query.after ?? 0n)}
    order by id limit ${query.limit}`;
  return rows.map(parseRow);
}

/** A failed event back to the outbox, its failure cleared; undefined unless it was failed. */
export async function retryFailedEvent(
  db: Queryable,
  review: { id: bigint; note: string; reviewerId: bigint },
): Promise<CreditEvent | undefined> {
  const [row] = await db`
    update events set status = 'pending', failure_code = null, failure_reason = null, failed_at = null,
      review_note = ${review.note}, reviewed_by = ${String(review.reviewerId)}, updated_at = now()
    where id = ${String(review.id)} and status = 'failed'
    returning ${db.unsafe(COLUMNS)}`;
  return row ? parseRow(row) : undefined;
}

/**
 * Refuses an event for good that can never be on chain by our hand: held, failed, or pending for longer than
 * `stuckSeconds` (the mint batcher locks a row it sends, and this update waits for that lock and then sees
 * it submitted). A `credit.rejected` webhook tells the issuer in the same statement. Undefined if none of those.
 */
export async function rejectEvent(
  db: Queryable,
  review: { id: bigint; note: string; reviewerId: bigint; stuckSeconds: number },
): Promise<CreditEvent | undefined> {
  const [row] = await db`
    with changed as (
      update events set status = 'rejected', review_note = ${review.note}, reviewed_by = ${String(review.reviewerId)},
        updated_at = now()
      where id = ${String(review.id)}
        and (status in ('held', 'failed')
          or (status = 'pending' and updated_at < now() - make_interval(secs => ${review.stuckSeconds})))
      returning *),
    webhook as (
      select jsonb_build_object('eventId', id, 'programId', program_id, 'beneficiary', beneficiary,
        'tokens', trim_scale(credit * 0.000000000000000001)::text, 'reason', review_note,
        'failureCode', failure_code) as payload, array[issuer_id] as member_ids
      from changed),
    hooks as (${webhookOutboxInsert(db, "credit.rejected")})
    select ${db.unsafe(COLUMNS)} from changed`;
  return row ? parseRow(row) : undefined;
}
