/**
 * Reversals of confirmed credits (migration 005): claimed here before anything is sent, so two admins
 * cannot both reverse one event, then filled in from the token's CreditReversed log.
 */
import type { Queryable } from "./sql.js";
import { webhookOutboxInsert } from "./webhook-outbox.js";

export type ReversalStatus = "pending" | "submitted" | "included" | "confirmed" | "failed";

export interface Reversal {
  id: bigint;
  eventId: bigint;
  programId: bigint;
  /** The program's token, where the reversal is sent. */
  token: string;
  holder: string;
  reason: string;
  requestedBy: bigint;
  amount: bigint;
  burned: bigint | null;
  shortfall: bigint | null;
  status: ReversalStatus;
  failureReason: string | null;
  txHash: string | null;
  blockNumber: bigint | null;
  createdAt: Date;
}

const COLUMNS = `r.id, r.event_id as "eventId", r.program_id as "programId", p.token_address as token, r.holder, r.reason,
  r.requested_by as "requestedBy", r.amount::text as amount, r.burned::text as burned, r.shortfall::text as shortfall,
  r.status, r.failure_reason as "failureReason", r.tx_hash as "txHash", r.block_number as "blockNumber",
  r.created_at as "createdAt"`;

const big = (value: unknown) => (value === null ? null : BigInt(value as string));

function parseRow(row: Record<string, unknown>): Reversal {
  return {
    ...(row as unknown as Reversal),
    amount: BigInt(row.amount as string),
    burned: big(row.burned),
    shortfall: big(row.shortfall),
  };
}

/** Why an event could not be claimed for reversal. */
export type ClaimRefusal = "not_found" | "not_confirmed" | "already_reversed";

/**
 * Claims event `eventId` for reversal: a `pending` row for its whole credit, if the event is confirmed (its
 * tokens are on chain) and no other reversal of it is live. One statement, so the unique index decides a race.
 */
export async function claimReversal(
  db: Queryable,
  claim: { eventId: bigint; reason: string; requestedBy: bigint },
): Promise<Reversal | ClaimRefusal> {
  const [row] = await db`
    with claimed as (
      insert into reversals (event_id, program_id, holder, reason, requested_by, amount, status)
      select e.id, e.program_id, e.beneficiary, ${claim.reason}, ${String(claim.requestedBy)}, e.credit, 'pending'
      from events e where e.id = ${String(claim.eventId)} and e.status = 'confirmed'
      on conflict (event_id) where status <> 'failed' do nothing
      returning *)
    select ${db.unsafe(COLUMNS)} from claimed r join programs p on p.id = r.program_id`;
  if (row) return parseRow(row);
  const [event] = await db<{ status: string }[]>`select status from events where id = ${String(claim.eventId)}`;
  if (!event) return "not_found";
  return event.status === "confirmed" ? "already_reversed" : "not_confirmed";
}

/** Records the transaction's hash before it is broadcast: a row then exists for anything that may be on chain. */
export async function markReversalSubmitted(db: Queryable, id: bigint, txHash: string): Promise<void> {
  await db`update reversals set status = 'submitted', tx_hash = ${txHash}, updated_at = now() where id = ${String(id)}`;
}

const tokenUnits = (column: string) => `trim_scale(${column} * 0.000000000000000001)::text`;

/**
 * The outcome, from the CreditReversed log of the transaction now in a block. Only a pending or submitted
 * reversal changes, so a repeat is a no-op; undefined when it did not (another request finished it).
 */
export async function includeReversal(
  db: Queryable,
  id: bigint,
  outcome: { burned: bigint; shortfall: bigint; txHash: string; blockNumber: number },
): Promise<Reversal | undefined> {
  const [row] = await db`
    with updated as (
      update reversals set status = 'included', burned = ${String(outcome.burned)},
        shortfall = ${String(outcome.shortfall)}, tx_hash = ${outcome.txHash}, block_number = ${outcome.blockNumber},
        updated_at = now()
      where id = ${String(id)} and status in ('pending', 'submitted') returning *)
    select ${db.unsafe(COLUMNS)} from updated r join programs p on p.id = r.program_id`;
  return row ? parseRow(row) : undefined;
}

/**
 * Enough blocks stand on the reversal's block. The same statement writes the `credit.reversed` webhook for
 * the event's issuer, so the two commit together, and only an included reversal changes, so it is told once.
 */
export async function confirmReversal(db: Queryable, id: bigint): Promise<void> {
  await db`
    with updated as (
      update reversals set status = 'confirmed', updated_at = now()
      where id = ${String(id)} and status = 'included' returning *),
    webhook as (
      select jsonb_build_object('eventId', u.event_id, 'programId', u.program_id, 'holder', u.holder,
        'amount', ${db.unsafe(tokenUnits("u.amount"))}, 'burned', ${db.unsafe(tokenUnits("u.burned"))},
        'shortfall', ${db.unsafe(tokenUnits("u.shortfall"))}, 'reason', u.reason, 'txHash', u.tx_hash,
        'blockNumber', u.block_number) as payload, array[e.issuer_id] as member_ids
      from updated u join events e on e.id = u.event_id),
    hooks as (${webhookOutboxInsert(db, "credit.reversed")})
    select 1`;
}

/** A reorganisation took the reversal's block: it waits for its transaction again (`block` null), or follows it. */
export async function moveReversal(db: Queryable, id: bigint, blockNumber: number | null): Promise<void> {
  await db`
    update reversals set status = ${blockNumber === null ? "submitted" : "included"}, block_number = ${blockNumber}, updated_at = now()
    where id = ${String(id)} and status in ('included', 'confirmed')`;
}

/** A reversal that was refused before or on chain; the event may be claimed again. */
export async function failReversal(db: Queryable, id: bigint, failureReason: string): Promise<void> {
  await db`
    update reversals set status = 'failed', failure_reason = ${failureReason}, updated_at = now()
    where id = ${String(id)}`;
}

/** The live (not failed) reversal of event `eventId`, if any. */
export async function liveReversal(db: Queryable, eventId: bigint): Promise<Reversal | undefined> {
  const [row] = await db`
    select ${db.unsafe(COLUMNS)} from reversals r join programs p on p.id = r.program_id
    where r.event_id = ${String(eventId)} and r.status <> 'failed'`;
  return row ? parseRow(row) : undefined;
}

/** The reversals of `holder`'s credits (failed attempts left out), newest first: for its history. */
export async function reversalsOfHolder(db: Queryable, holder: string, limit: number): Promise<Reversal[]> {
  const rows = await db`
    select ${db.unsafe(COLUMNS)} from reversals r join programs p on p.id = r.program_id
    where r.holder = ${holder} and r.status <> 'failed'
    order by r.id desc limit ${limit}`;
  return rows.map(parseRow);
}

/** The console's list (issue 13): every reversal, failed ones too, newest first by id, below `below`. */
export async function listReversals(
  db: Queryable,
  q: { below: bigint; limit: number; status?: ReversalStatus; programId?: bigint },
): Promise<Reversal[]> {
  const rows = await db`
    select ${db.unsafe(COLUMNS)} from reversals r join programs p on p.id = r.program_id
    where r.id < ${String(q.below)}
      ${q.status === undefined ? db`` : db`and r.status = ${q.status}`}
      ${q.programId === undefined ? db`` : db`and r.program_id = ${String(q.programId)}`}
    order by r.id desc limit ${q.limit}`;
  return rows.map(parseRow);
}

export async function findReversal(db: Queryable, id: bigint): Promise<Reversal | undefined> {
  const [row] = await db`select ${db.unsafe(COLUMNS)} from reversals r join programs p on p.id = r.program_id where r.id = ${String(id)}`;
  return row ? parseRow(row) : undefined;
}
