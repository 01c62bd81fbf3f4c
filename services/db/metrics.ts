import type { Sql } from "./sql.js";

const OUTBOX_STATUSES = ["pending", "submitted", "held", "failed"] as const;
export type OutboxStatus = (typeof OUTBOX_STATUSES)[number];

/**
 * Events the batcher has yet to mint, by status (failed: the token refused them, waiting for an admin), and the
 * age of the oldest pending or submitted one. One grouped count over the partial indexes of unfinished events
 * (events_outbox, events_held, events_failed), never the table.
 */
export async function outboxStats(sql: Sql): Promise<{ counts: Record<OutboxStatus, number>; oldestAgeSeconds: number }> {
  const rows = await sql<{ status: OutboxStatus; n: number; ageSeconds: number }[]>`
    select status, count(*)::int as n, extract(epoch from now() - min(created_at))::float8 as "ageSeconds"
    from events where status in ('pending', 'submitted', 'held', 'failed') group by status`;
  const counts = Object.fromEntries(OUTBOX_STATUSES.map((status) => [status, 0])) as Record<OutboxStatus, number>;
  let oldestAgeSeconds = 0;
  for (const row of rows) {
    counts[row.status] = row.n;
    // Held and failed events wait for a person, not for the batcher: they are not confirmation lag.
    if (row.status === "pending" || row.status === "submitted") oldestAgeSeconds = Math.max(oldestAgeSeconds, row.ageSeconds);
  }
  return { counts, oldestAgeSeconds };
}

/** The indexer's checkpoint block and how long ago it moved; undefined before the indexer's first range. */
export async function checkpointStats(sql: Sql): Promise<{ blockNumber: number; ageSeconds: number } | undefined> {
  const [row] = await sql<{ blockNumber: bigint; ageSeconds: number }[]>`
    select block_number as "blockNumber", extract(epoch from now() - updated_at)::float8 as "ageSeconds"
    from indexer_checkpoint`;
  return row && { blockNumber: Number(row.blockNumber), ageSeconds: row.ageSeconds };
}

/** Failed delivery attempts are counted over this window: recent trouble, not the whole history. */
export const WEBHOOK_FAILURE_WINDOW_MINUTES = 60;

/**
 * The webhook outbox: events not yet dispatched to the delivery queue and the age of the oldest (the partial
 * index webhook_events_undispatched), and the delivery attempts of the last WEBHOOK_FAILURE_WINDOW_MINUTES that
 * failed (no answer, or an answer other than 2xx).
 */
export async function webhookStats(sql: Sql): Promise<{ undispatched: number; oldestAgeSeconds: number; recentFailures: number }> {
  const [outbox] = await sql<{ n: number; ageSeconds: number | null }[]>`
    select count(*)::int as n, extract(epoch from now() - min(created_at))::float8 as "ageSeconds"
    from webhook_events where dispatched_at is null`;
  const [deliveries] = await sql<{ failed: number }[]>`
    select count(*)::int as failed from webhook_deliveries
    where started_at > now() - make_interval(mins => ${WEBHOOK_FAILURE_WINDOW_MINUTES})
      and (status_code is null or status_code not between 200 and 299)`;
  return { undispatched: outbox?.n ?? 0, oldestAgeSeconds: outbox?.ageSeconds ?? 0, recentFailures: deliveries?.failed ?? 0 };
}
