import type { Queryable, Sql } from "./sql.js";

export interface WebhookSubscription {
  id: bigint;
  memberId: bigint;
  url: string;
  events: string[];
  active: boolean;
  createdAt: Date;
}

export interface WebhookDelivery {
  id: bigint;
  eventId: bigint;
  eventType: string;
  attempt: number;
  statusCode: number | null;
  error: string | null;
  durationMs: number;
  startedAt: Date;
  finishedAt: Date;
}

const SUBSCRIPTION = `id, member_id as "memberId", url, events, active, created_at as "createdAt"`;

export async function insertSubscription(
  db: Queryable,
  subscription: { memberId: bigint; url: string; events: string[]; secret: string },
): Promise<WebhookSubscription> {
  const [row] = await db<WebhookSubscription[]>`
    insert into webhook_subscriptions (member_id, url, events, secret)
    values (${String(subscription.memberId)}, ${subscription.url}, ${db.array(subscription.events)}, ${subscription.secret})
    returning ${db.unsafe(SUBSCRIPTION)}`;
  return row!;
}

export async function countActiveSubscriptions(db: Queryable, memberId: bigint): Promise<number> {
  const [row] = await db<{ count: number }[]>`
    select count(*)::int as count from webhook_subscriptions where member_id = ${String(memberId)} and active`;
  return row!.count;
}

/** A member's active subscriptions; deleted ones stay in the table for their delivery log. */
export async function subscriptionsOf(db: Queryable, memberId: bigint): Promise<WebhookSubscription[]> {
  return db<WebhookSubscription[]>`
    select ${db.unsafe(SUBSCRIPTION)} from webhook_subscriptions
    where member_id = ${String(memberId)} and active order by id`;
}

export async function findSubscriptionOf(db: Queryable, memberId: bigint, id: bigint) {
  const [row] = await db<WebhookSubscription[]>`
    select ${db.unsafe(SUBSCRIPTION)} from webhook_subscriptions
    where id = ${String(id)} and member_id = ${String(memberId)}`;
  return row;
}

/** Deactivates (queued deliveries to it then stop); true if it was the member's and active. */
export async function deactivateSubscription(db: Queryable, memberId: bigint, id: bigint): Promise<boolean> {
  const rows = await db`
    update webhook_subscriptions set active = false, deleted_at = now()
    where id = ${String(id)} and member_id = ${String(memberId)} and active
    returning id`;
  return rows.length > 0;
}

/** A WebhookDelivery's columns, from webhook_deliveries `d` joined to webhook_events `e`. */
export const DELIVERY_COLUMNS = `d.id, d.event_id as "eventId", e.type as "eventType", d.attempt, d.status_code as "statusCode", d.error,
  d.duration_ms as "durationMs", d.started_at as "startedAt", d.finished_at as "finishedAt"`;

export async function deliveriesOf(db: Queryable, subscriptionId: bigint, limit: number): Promise<WebhookDelivery[]> {
  return db<WebhookDelivery[]>`
    select ${db.unsafe(DELIVERY_COLUMNS)}
    from webhook_deliveries d join webhook_events e on e.id = d.event_id
    where d.subscription_id = ${String(subscriptionId)}
    order by d.id desc limit ${limit}`;
}

/**
 * Takes up to `limit` outbox rows not yet dispatched (skipping rows another dispatcher holds), hands the
 * (subscription, event) pairs they fan out to `enqueue`, and marks them dispatched in the same transaction.
 * If enqueueing fails the rows stay undispatched; if the commit fails after it, the next run enqueues the
 * same job ids again, which BullMQ ignores. Returns how many events were dispatched.
 */
export async function dispatchWebhookEvents(
  sql: Sql,
  limit: number,
  enqueue: (pairs: { subscriptionId: bigint; eventId: bigint }[]) => Promise<void>,
): Promise<number> {
  return sql.begin(async (tx) => {
    const events = await tx<{ id: bigint }[]>`
      select id from webhook_events where dispatched_at is null order by id limit ${limit} for update skip locked`;
    if (events.length === 0) return 0;
    const ids = tx.array(events.map((e) => String(e.id))) as unknown as string[];
    const pairs = await tx<{ subscriptionId: bigint; eventId: bigint }[]>`
      select s.id as "subscriptionId", e.id as "eventId"
      from webhook_events e join webhook_subscriptions s
        on s.active and s.member_id = any(e.member_ids) and e.type = any(s.events)
      where e.id = any(${ids}::bigint[])
      order by e.id, s.id`;
    if (pairs.length > 0) await enqueue(pairs);
    await tx`update webhook_events set dispatched_at = now() where id = any(${ids}::bigint[])`;
    return events.length;
  }) as Promise<number>;
}

/** What one delivery attempt needs: where, the key to sign with, and the event. */
export async function deliveryTarget(db: Queryable, subscriptionId: bigint, eventId: bigint) {
  const [row] = await db<
    { url: string; secret: string; active: boolean; type: string; payload: unknown; createdAt: Date }[]
  >`
    select s.url, s.secret, s.active, e.type, e.payload, e.created_at as "createdAt"
    from webhook_subscriptions s, webhook_events e
    where s.id = ${String(subscriptionId)} and e.id = ${String(eventId)}`;
  return row;
}

export async function recordDeliveryAttempt(
  db: Queryable,
  attempt: {
    subscriptionId: bigint;
    eventId: bigint;
    attempt: number;
    statusCode: number | null;
    error: string | null;
    durationMs: number;
    startedAt: Date;
  },
) {
  await db`
    insert into webhook_deliveries (subscription_id, event_id, attempt, status_code, error, duration_ms, started_at)
    values (${String(attempt.subscriptionId)}, ${String(attempt.eventId)}, ${attempt.attempt}, ${attempt.statusCode},
            ${attempt.error}, ${attempt.durationMs}, ${attempt.startedAt})`;
}
