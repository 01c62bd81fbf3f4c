import type { Sql } from "../../services/db/sql.js";
import { PollTimeout, pollUntil } from "../lib/time.js";

export interface Open {
  events: number;
  payments: number;
}

/** Events and payments not yet final (confirmed, failed or rejected), as the database sees them. */
export async function openWork(sql: Sql): Promise<Open> {
  const [row] = await sql<Open[]>`
    select (select count(*)::int from events where status in ('pending', 'submitted', 'included')) as events,
           (select count(*)::int from payments where status in ('pending', 'submitted', 'included')) as payments`;
  return row!;
}

/**
 * Waits until the batcher and the workers have finished what was accepted, or until `deadline`. A flushed
 * Redis leaves payments without jobs until a worker's reconciler (at start, then every 15 s) re-enqueues them.
 */
export async function drain(sql: Sql, deadline: number): Promise<{ drained: boolean; open: Open; ms: number }> {
  const started = Date.now();
  const isDrained = (open: Open) => open.events === 0 && open.payments === 0;
  try {
    const open = await pollUntil(() => openWork(sql), isDrained, { deadline, intervalMs: 500 });
    return { drained: true, open, ms: Date.now() - started };
  } catch (error) {
    if (!(error instanceof PollTimeout)) throw error;
    return { drained: false, open: error.last as Open, ms: Date.now() - started };
  }
}
