import type { Queue } from "bullmq";

/**
 * Makes sure every payment (or redemption) PostgreSQL still has open owns a live job: after Redis lost its
 * data, or a job ran out of attempts while, say, the token was paused. Adding a job whose id exists is a
 * no-op in BullMQ, so this is safe to run at any time and from several processes.
 *
 * A job that exists is not enough. Redis can lose part of a queue (a failover to a lagging replica, keys
 * deleted by hand or evicted): a job whose hash survived but whose list did not is in no state at all
 * ("unknown"), no worker will ever take it, and it would hold its id, so its row, forever. A completed job
 * whose row is still open is as dead, and a failed one may have failed for having lost its payload ("bad
 * paymentId undefined"), so retrying it would fail again. Each is removed and added again with the payload
 * from PostgreSQL; the handler is idempotent, so a job that completed just after its row was read does no
 * harm running once more.
 */
export async function reconcile<T, N extends string>(
  queue: Queue<T, unknown, N>,
  name: N,
  open: { jobId: string; data: T }[],
): Promise<{ enqueued: number; retried: number }> {
  let enqueued = 0;
  let retried = 0;
  for (const { jobId, data } of open) {
    const job = await queue.getJob(jobId);
    const state = job ? await job.getState() : "missing";
    if (state !== "missing" && state !== "failed" && state !== "unknown" && state !== "completed") continue;
    // Added anew with the payload from PostgreSQL, not retried: a failed job may have failed for having lost it.
    if (state !== "missing") await queue.remove(jobId);
    await queue.add(name as never, data as never, { jobId });
    if (state === "failed") retried++;
    else enqueued++;
  }
  return { enqueued, retried };
}

/**
 * `reconcile` over the open rows `loadOpen` finds: on demand (at start, with 0 to take every open row) and
 * every `everyMs` in the background, for rows older than 2 s so requests still being enqueued are left be.
 */
export function reconcileEvery<T, N extends string>(
  queue: Queue<T, unknown, N>,
  name: N,
  loadOpen: (olderThanMs: number) => Promise<{ jobId: string; data: T }[]>,
  options: { everyMs: number; onError(error: unknown): void },
) {
  const run = async (olderThanMs = 2_000) => reconcile(queue, name, await loadOpen(olderThanMs));
  const timer = setInterval(() => run().catch(options.onError), options.everyMs);
  return { run, stop: () => clearInterval(timer) };
}
