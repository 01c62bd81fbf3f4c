import type { Sql } from "../../services/db/sql.js";

export interface Open {
  events: number;
  payments: number;
}

/** Events not yet minted and payments not yet settled, as the database sees them. */
export async function openWork(sql: Sql): Promise<Open> {
  const [row] = await sql<Open[]>`
    select (select count(*)::int from events where status in ('pending', 'submitted')) as events,
           (select count(*)::int from payments where status in ('pending', 'submitted')) as payments`;
  return row!;
}

/**
 * Waits until the batcher and the workers have finished what was accepted, or until `deadline`. A flushed
 * Redis leaves payments without jobs until a worker's reconciler (at start, then every 15 s) re-enqueues them.
 */
export async function drain(sql: Sql, deadline: number): Promise<{ drained: boolean; open: Open; ms: number }> {
  const started = Date.now();
  for (;;) {
    const open = await openWork(sql);
    const drained = open.events === 0 && open.payments === 0;
    if (drained || Date.now() >= deadline) return { drained, open, ms: Date.now() - started };
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}
