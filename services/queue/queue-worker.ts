import { Worker } from "bullmq";
import type { Redis } from "ioredis";
import type { Chain } from "../chain/network.js";
import type { Config } from "../config.js";
import type { FinalityLedger } from "../db/finality.js";
import type { Sql } from "../db/sql.js";
import { FinalityWatcher, type WatchedLedger } from "../engines/finality-watcher.js";
import { createQueue, type JobRegistry, workerOptions } from "./queues.js";
import { reconcileEvery } from "./reconciler.js";
import type { WorkerMetrics } from "./worker-metrics.js";

/** What a chain-writing queue worker (payments, redemptions) is built from. */
export interface QueueWorkerDeps {
  config: Config;
  sql: Sql;
  chain: Chain;
  connection: Redis;
  reconcileEveryMs?: number;
  log?: Pick<Console, "info" | "error">;
  metrics?: WorkerMetrics;
}

/** A running queue worker with its reconciler. */
export interface QueueWorker {
  /** Enqueues open rows older than `olderThanMs` that have no job (by default, leaves in-flight requests be). */
  reconcile(olderThanMs?: number): Promise<{ enqueued: number; retried: number }>;
  close(): Promise<void>;
}

/**
 * A worker over `queue` whose every job waits in one batcher (concurrency = batch size), with a reconciler
 * that re-creates the jobs of rows PostgreSQL still has open, and one close for all of it.
 */
export function settlingWorker<N extends "payments" | "redemptions">(
  deps: QueueWorkerDeps,
  spec: {
    queue: N;
    concurrency: number;
    process: (data: JobRegistry[N]["data"]) => Promise<unknown>;
    openJobs: (olderThanMs: number) => Promise<{ jobId: string; data: JobRegistry[N]["data"] }[]>;
    /** "payment", "redemption": how its log lines name it. */
    what: string;
  },
): QueueWorker {
  const { config, connection, log = console } = deps;
  const queue = createQueue(spec.queue, connection, config.redisPrefix);
  const worker = new Worker<JobRegistry[N]["data"]>(spec.queue, (job) => spec.process(job.data), {
    connection,
    ...workerOptions(config),
    concurrency: spec.concurrency,
  });
  worker.on("error", (error) => log.error(`${spec.what} worker error`, error));
  const jobName = JOB_NAMES[spec.queue] as JobRegistry[N]["name"];
  const reconciler = reconcileEvery(queue, jobName, spec.openJobs, {
    everyMs: deps.reconcileEveryMs ?? 15_000,
    onError: (error) => log.error(`${spec.what} reconciler error`, error),
  });
  return {
    reconcile: reconciler.run,
    async close() {
      reconciler.stop();
      await worker.close();
      await queue.close();
    },
  };
}

const JOB_NAMES = { payments: "settle-payment", redemptions: "redeem" } as const;

/**
 * `worker` with a finality watcher over the rows it settles: they are confirmed once their block is deep
 * enough; a row whose block a reorganisation took away is open again, and the reconciler gives it a job at once.
 */
export function watchingFinality(
  deps: QueueWorkerDeps,
  worker: QueueWorker,
  ledger: FinalityLedger,
  onMoved?: WatchedLedger["onMoved"],
): QueueWorker {
  const watched: WatchedLedger = { ledger, onReopened: async () => void (await worker.reconcile(0)), ...(onMoved ? { onMoved } : {}) };
  const finality = new FinalityWatcher(deps.chain, [watched], {
    confirmations: deps.config.chainConfirmations,
    ...(deps.log ? { log: fieldsFirst(deps.log) } : {}),
  });
  finality.start();
  return {
    reconcile: worker.reconcile,
    async close() {
      await finality.stop();
      await worker.close();
    },
  };
}

/** The engines log as pino does, fields first; a worker's log takes the message first. */
function fieldsFirst(log: NonNullable<QueueWorkerDeps["log"]>): Pick<Console, "info" | "warn" | "error"> {
  const at = (level: "info" | "error") => (fields: unknown, message?: unknown) => log[level](String(message ?? ""), fields);
  return { info: at("info"), warn: at("info"), error: at("error") };
}
