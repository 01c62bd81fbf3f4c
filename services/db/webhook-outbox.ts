import type postgres from "postgres";
import type { Queryable } from "./sql.js";

/** Every event type a member can subscribe to. Producers name one of these; the API validates against them. */
export const WEBHOOK_EVENT_TYPES = [
  "credit.confirmed",
  "payment.settled",
  "redemption.paid",
  "lot.confirmed",
  "credit.reversed",
  "credit.failed",
  "credit.rejected",
] as const;
export type WebhookEventType = (typeof WEBHOOK_EVENT_TYPES)[number];

export interface NewWebhookEvent {
  type: WebhookEventType;
  /** What receivers get as `data`: ids, amounts as decimal strings, hashes. Never secrets. */
  payload: Record<string, unknown>;
  /** The members it concerns: their active subscriptions to `type` receive it. */
  memberIds: (bigint | number)[];
}

/**
 * Writes an event to the webhook outbox, on the caller's connection or transaction so it commits (or not)
 * with the state change it reports. Nothing is written when none of the members subscribes to the type:
 * the outbox stays as small as the set of listeners. Returns the outbox id, if written.
 */
export async function recordWebhookEvent(db: Queryable, event: NewWebhookEvent): Promise<bigint | undefined> {
  const memberIds = db.array(event.memberIds.map(String)) as unknown as string[];
  const [row] = await db<{ id: bigint }[]>`
    insert into webhook_events (type, payload, member_ids)
    select ${event.type}, ${db.json(event.payload as postgres.JSONValue)}, ${memberIds}::bigint[]
    where exists (
      select 1 from webhook_subscriptions s
      where s.active and s.member_id = any(${memberIds}::bigint[]) and ${event.type} = any(s.events))
    returning id`;
  return row?.id;
}

/**
 * The tail of a statement that records one webhook event per row of a preceding CTE named `webhook`
 * with columns (payload jsonb, member_ids bigint[]): `with changed as (update … returning …),
 * webhook as (select … from changed) ${webhookOutboxInsert(db, type)}`. The state change and its events
 * are then one statement: both happen or neither, and a repeated update that changes no row emits nothing.
 */
export const webhookOutboxInsert = (db: Queryable, type: WebhookEventType) => db`
  insert into webhook_events (type, payload, member_ids)
  select ${type}, w.payload, w.member_ids from webhook w
  where exists (
    select 1 from webhook_subscriptions s
    where s.active and s.member_id = any(w.member_ids) and ${type} = any(s.events))`;
