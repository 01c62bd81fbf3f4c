/**
 * The console's lists (issue 13): events, collectors, payments, redemptions and webhook deliveries, newest first
 * by id with keyset pages (`below` an id), filtered, and scoped to a member where it reads its own.
 */
import { COLUMNS as EVENT_COLUMNS, type CreditEvent, type EventKind, type EventStatus, parseRow as parseEvent } from "./events.js";
import { findPayments, type Payment } from "./payments.js";
import { findRedemptions, type Redemption } from "./redemptions.js";
import type { Queryable } from "./sql.js";
import { DELIVERY_COLUMNS, type WebhookDelivery } from "./webhooks.js";

interface Page {
  below: bigint;
  limit: number;
}

const opt = <T>(db: Queryable, value: T | undefined, clause: (value: T) => ReturnType<Queryable>) =>
  value === undefined ? db`` : clause(value);

export interface EventQuery extends Page {
  issuerId?: bigint;
  programId?: bigint;
  status?: EventStatus;
  kind?: EventKind;
  since?: Date;
  until?: Date;
}

export async function listEvents(db: Queryable, q: EventQuery): Promise<CreditEvent[]> {
  const rows = await db`
    select ${db.unsafe(EVENT_COLUMNS)} from events
    where id < ${String(q.below)}
      ${opt(db, q.issuerId, (v) => db`and issuer_id = ${String(v)}`)}
      ${opt(db, q.programId, (v) => db`and program_id = ${String(v)}`)}
      ${opt(db, q.status, (v) => db`and status = ${v}`)}
      ${opt(db, q.kind, (v) => db`and kind = ${v}`)}
      ${opt(db, q.since, (v) => db`and created_at >= ${v}`)}
      ${opt(db, q.until, (v) => db`and created_at < ${v}`)}
    order by id desc limit ${q.limit}`;
  return rows.map(parseEvent);
}

export interface CollectorRow {
  id: bigint;
  address: string;
  displayName: string | null;
  registeredBy: bigint;
  createdAt: Date;
}

export async function listCollectors(db: Queryable, q: Page & { registeredBy?: bigint; search?: string }): Promise<CollectorRow[]> {
  const pattern = q.search === undefined ? undefined : `%${q.search.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
  return db<CollectorRow[]>`
    select id, address, display_name as "displayName", registered_by as "registeredBy", created_at as "createdAt"
    from collectors
    where id < ${String(q.below)}
      ${opt(db, q.registeredBy, (v) => db`and registered_by = ${String(v)}`)}
      ${opt(db, pattern, (v) => db`and (display_name ilike ${v} or address ilike ${v})`)}
    order by id desc limit ${q.limit}`;
}

export interface MoneyQuery extends Page {
  retailerId?: bigint;
  programId?: bigint;
  status?: string;
}

const newestFirst = <T extends { id: bigint }>(rows: T[]) => rows.sort((a, b) => (a.id > b.id ? -1 : a.id < b.id ? 1 : 0));

/** The ids of a page of payments or redemptions: both tables have the retailer, program and status filtered on. */
async function moneyIds(db: Queryable, table: "payments" | "redemptions", q: MoneyQuery): Promise<bigint[]> {
  const rows = await db<{ id: bigint }[]>`
    select id from ${db(table)}
    where id < ${String(q.below)}
      ${opt(db, q.retailerId, (v) => db`and retailer_id = ${String(v)}`)}
      ${opt(db, q.programId, (v) => db`and program_id = ${String(v)}`)}
      ${opt(db, q.status, (v) => db`and status = ${v}`)}
    order by id desc limit ${q.limit}`;
  return rows.map((r) => r.id);
}

export async function listPayments(db: Queryable, q: MoneyQuery): Promise<Payment[]> {
  const ids = await moneyIds(db, "payments", q);
  return ids.length === 0 ? [] : newestFirst(await findPayments(db, ids));
}

export async function listRedemptions(db: Queryable, q: MoneyQuery): Promise<Redemption[]> {
  const ids = await moneyIds(db, "redemptions", q);
  return ids.length === 0 ? [] : newestFirst(await findRedemptions(db, ids));
}

/** A delivery as webhooks.ts reads it, with the subscription and the member it was for (an admin lists them all). */
export interface DeliveryRow extends WebhookDelivery {
  subscriptionId: bigint;
  memberId: bigint;
}

export async function listDeliveries(
  db: Queryable,
  q: Page & { memberId?: bigint; subscriptionId?: bigint; failed?: boolean },
): Promise<DeliveryRow[]> {
  const failed = db`(d.status_code is null or d.status_code not between 200 and 299)`;
  return db<DeliveryRow[]>`
    select ${db.unsafe(DELIVERY_COLUMNS)}, d.subscription_id as "subscriptionId", s.member_id as "memberId"
    from webhook_deliveries d
      join webhook_subscriptions s on s.id = d.subscription_id
      join webhook_events e on e.id = d.event_id
    where d.id < ${String(q.below)}
      ${opt(db, q.memberId, (v) => db`and s.member_id = ${String(v)}`)}
      ${opt(db, q.subscriptionId, (v) => db`and d.subscription_id = ${String(v)}`)}
      ${q.failed === undefined ? db`` : q.failed ? db`and ${failed}` : db`and not ${failed}`}
    order by d.id desc limit ${q.limit}`;
}
