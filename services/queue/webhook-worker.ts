import { UnrecoverableError, Worker } from "bullmq";
import type { Redis } from "ioredis";
import type { Config } from "../config.js";
import { signatureHeader } from "../core/webhook-signature.js";
import type { Sql } from "../db/sql.js";
import { deliveryTarget, dispatchWebhookEvents, recordDeliveryAttempt } from "../db/webhooks.js";
import { createQueue, type JobRegistry, webhookJobId, workerOptions } from "./queues.js";
import { postWebhook } from "./webhook-delivery.js";
import type { WorkerMetrics } from "./worker-metrics.js";

export interface WebhookWorkerOptions {
  config: Config;
  sql: Sql;
  connection: Redis;
  /** How often the outbox is polled for new events. */
  pollMs?: number;
  /** Per attempt: a receiver that has not answered by then counts as failed. */
  timeoutMs?: number;
  /** Attempts per delivery, the first included, and the first retry's delay; each later one doubles. */
  attempts?: number;
  backoffMs?: number;
  concurrency?: number;
  log?: Pick<Console, "info" | "error">;
  metrics?: WorkerMetrics;
}

export interface WebhookWorker {
  /** Turns every undispatched outbox row into jobs now; returns how many events it dispatched. */
  dispatch(): Promise<number>;
  close(): Promise<void>;
}

const DISPATCH_BATCH = 500;

/**
 * The webhook dispatcher and deliverer in one: a poll loop moves outbox rows into the "webhooks" queue
 * (one job per subscription and event), and the queue's worker POSTs each, signed, logging every attempt
 * with a coarse outcome (services/queue/webhook-delivery.ts). A non-2xx answer, a redirect (never followed:
 * it could point anywhere), a timeout or a network error fails the attempt and BullMQ retries it with
 * exponential backoff; an address that is not public (WEBHOOK_ALLOW_LOOPBACK aside) is not retried.
 */
export function startWebhookWorker(options: WebhookWorkerOptions): WebhookWorker {
  const { config, sql, connection, log = console } = options;
  const timeoutMs = options.timeoutMs ?? 5_000;
  const policy = { allowHttp: config.webhooks.allowHttp, allowLoopback: config.webhooks.allowLoopback };
  const jobOptions = { attempts: options.attempts ?? 10, backoff: { type: "exponential", delay: options.backoffMs ?? 5_000 } };
  const queue = createQueue("webhooks", connection, config.redisPrefix);

  const worker = new Worker<JobRegistry["webhooks"]["data"]>(
    "webhooks",
    async (job) => {
      const { subscriptionId, eventId } = job.data;
      const target = await deliveryTarget(sql, BigInt(subscriptionId), BigInt(eventId));
      if (!target) throw new UnrecoverableError(`webhook ${subscriptionId} or event ${eventId} does not exist`);
      // Unsubscribed since: nothing to deliver, and nothing to retry.
      if (!target.active) return { skipped: "unsubscribed" };
      const body = JSON.stringify({ id: eventId, type: target.type, createdAt: target.createdAt.toISOString(), data: target.payload });
      const timestamp = Math.floor(Date.now() / 1000);
      const startedAt = new Date();
      const started = performance.now();
      const { statusCode, outcome } = await postWebhook(
        target.url,
        {
          "content-type": "application/json",
          "user-agent": "recircle-webhooks/1",
          "recircle-event": target.type,
          "recircle-delivery": job.id!,
          "recircle-timestamp": String(timestamp),
          "recircle-signature": signatureHeader(target.secret, timestamp, body),
        },
        body,
        { timeoutMs, policy },
      );
      const error = outcome === "delivered" ? null : outcome;
      // The status code, or why there is none: few distinct values, so a label fits.
      options.metrics?.webhookDeliveries.inc({ status: statusCode ?? outcome });
      await recordDeliveryAttempt(sql, {
        subscriptionId: BigInt(subscriptionId),
        eventId: BigInt(eventId),
        attempt: job.attemptsMade + 1,
        statusCode,
        error,
        durationMs: Math.round(performance.now() - started),
        startedAt,
      });
      // Not a public address (any more): retrying would knock on the same door.
      if (outcome === "blocked_address") throw new UnrecoverableError(outcome);
      if (error) throw new Error(error);
      return { statusCode };
    },
    { connection, ...workerOptions(config), concurrency: options.concurrency ?? 16 },
  );
  worker.on("error", (error) => log.error("webhook worker error", error));

  const dispatchOnce = () =>
    dispatchWebhookEvents(sql, DISPATCH_BATCH, async (pairs) => {
      await queue.addBulk(
        pairs.map(({ subscriptionId, eventId }) => ({
          name: "deliver-webhook" as const,
          data: { subscriptionId: Number(subscriptionId), eventId: Number(eventId) },
          opts: { ...jobOptions, jobId: webhookJobId(subscriptionId, eventId) },
        })),
      );
    });
  // One dispatch at a time per process; a full batch means more may be waiting, so it goes on at once.
  let running: Promise<number> | undefined;
  const dispatch = () =>
    (running ??= (async () => {
      let total = 0;
      for (let n = DISPATCH_BATCH; n === DISPATCH_BATCH; total += n) n = await dispatchOnce();
      return total;
    })().finally(() => (running = undefined)));
  const timer = setInterval(() => dispatch().catch((error) => log.error("webhook dispatch error", error)), options.pollMs ?? 1_000);

  return {
    dispatch,
    async close() {
      clearInterval(timer);
      await running?.catch(() => {});
      await worker.close();
      await queue.close();
    },
  };
}
