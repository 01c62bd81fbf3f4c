import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { Redis } from "ioredis";
import type { Sql } from "../../services/db/sql.js";
import { createQueue, paymentJobId } from "../../services/queue/queues.js";

/**
 * After a failed run, before its database and Redis keys go: what is still open and where each open
 * payment's job stands in BullMQ (or that it has none), written to <stateDir>/open-at-end.json.
 */
export async function writeDiagnosis(sql: Sql, redisUrl: string, redisPrefix: string, stateDir: string): Promise<string> {
  const events = await sql`
    select id, status, tx_hash, created_at, updated_at from events where status in ('pending', 'submitted', 'included') order by id limit 50`;
  const payments = await sql<{ id: string; payer: string; nonce: string }[]>`
    select id::text, payer, nonce, status, tx_hash, failure_reason, valid_before::text, created_at, updated_at
    from payments where status in ('pending', 'submitted', 'included') order by id limit 50`;
  const connection = new Redis(redisUrl, { maxRetriesPerRequest: null });
  const queue = createQueue("payments", connection, redisPrefix);
  const jobs = [];
  try {
    for (const payment of payments) {
      const job = await queue.getJob(paymentJobId(payment.payer, payment.nonce));
      jobs.push({
        paymentId: payment.id,
        job: job ? { state: await job.getState(), attemptsMade: job.attemptsMade, failedReason: job.failedReason, returnvalue: job.returnvalue } : null,
      });
    }
  } finally {
    await queue.close();
    await connection.quit();
  }
  const path = join(stateDir, "open-at-end.json");
  await writeFile(path, JSON.stringify({ events, payments, jobs }, (_, value) => (typeof value === "bigint" ? String(value) : value), 2));
  return path;
}
