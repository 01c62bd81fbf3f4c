import { Queue, type ConnectionOptions } from "bullmq";

/** Every queue, its job name and payload. Payloads carry ids only: the row in PostgreSQL is the truth. */
export interface JobRegistry {
  payments: { name: "settle-payment"; data: { paymentId: number } };
  redemptions: { name: "redeem"; data: { redemptionId: number } };
  webhooks: { name: "deliver-webhook"; data: { subscriptionId: number; eventId: number } };
}
export type QueueName = keyof JobRegistry;

/**
 * BullMQ key prefix for a deployment. The braces are a Redis Cluster hash tag: all keys of a queue must
 * live in one slot, and BullMQ's Lua scripts touch several of them at once.
 */
export const queuePrefix = (redisPrefix: string) => `{${redisPrefix}}`;

export function createQueue<N extends QueueName>(name: N, connection: ConnectionOptions, redisPrefix: string) {
  return new Queue<JobRegistry[N]["data"], unknown, JobRegistry[N]["name"]>(name, {
    connection,
    prefix: queuePrefix(redisPrefix),
    defaultJobOptions: {
      attempts: 10,
      backoff: { type: "exponential", delay: 1_000 },
      removeOnComplete: { age: 3_600, count: 10_000 },
      removeOnFail: { age: 24 * 3_600 },
    },
  });
}

/** The job id of a payment: its payer and nonce, unique per authorization, so an enqueue twice is one job. */
export const paymentJobId = (payer: string, nonce: string) => `${payer.toLowerCase()}-${nonce.toLowerCase()}`;
export const redemptionJobId = (redemptionId: bigint | number) => `redemption-${redemptionId}`;
/** One delivery (with all its attempts) per subscription and event: dispatching an event twice is one job. */
export const webhookJobId = (subscriptionId: bigint | number, eventId: bigint | number) =>
  `webhook-${subscriptionId}-${eventId}`;

/** Worker options every queue shares: its prefix, and how soon a dead worker's jobs move to another. */
export const workerOptions = (config: { redisPrefix: string; jobLockMs: number }) => ({
  prefix: queuePrefix(config.redisPrefix),
  lockDuration: config.jobLockMs,
  // Never later than the lock could have been renewed: a killed worker's jobs wait no longer than that.
  stalledInterval: Math.min(30_000, config.jobLockMs),
});
