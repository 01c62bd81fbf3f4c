import { Redis } from "ioredis";
import { type Chain, connectChain } from "../../services/chain/network.js";
import type { Config } from "../../services/config.js";
import { createSql } from "../../services/db/sql.js";
import type { QueueWorker, QueueWorkerDeps } from "../../services/queue/queue-worker.js";
import { createQueue, type QueueName } from "../../services/queue/queues.js";
import type { Bench } from "./setup.js";
import { pollUntil } from "../lib/time.js";

export interface WorkerRun {
  seconds: number;
  workerErrors: string[];
  jobs: Record<string, number>;
  /** The worker's own chain connection, left open for the caller's checks and sends. */
  chain: Chain;
  /**
   * Closes that chain and the worker's pool, together: the chain's sender keeps its signed transactions in the
   * pool it was first given, so the pool stays open for as long as the caller sends through the chain.
   */
  close(): Promise<void>;
}

/**
 * A real queue worker in this process (its own key, database pool and Redis connection) over the jobs the
 * API enqueued, timed from its start until `finished()` counts `count` rows done; then its queue's job counts.
 */
export async function timeWorker(
  bench: Bench,
  run: {
    config: Config;
    key: string;
    queue: QueueName;
    start: (deps: QueueWorkerDeps) => QueueWorker;
    finished: () => Promise<number>;
    count: number;
    timeoutMs: number;
    /** What `count` counts, for the timeout's message: "payments confirmed". */
    what: string;
  },
): Promise<WorkerRun> {
  const chain = await connectChain(run.config.chainRpcUrl!, bench.deployment, run.key);
  const connection = new Redis(run.config.redisUrl, { maxRetriesPerRequest: null });
  const sql = createSql(run.config.databaseUrl, { max: 4 });
  const workerErrors: string[] = [];
  try {
    const started = performance.now();
    const log = { info: () => {}, error: (...args: unknown[]) => void workerErrors.push(args.map(String).join(" ")) };
    const worker = run.start({ config: run.config, sql, chain, connection, log });
    try {
      await pollUntil(run.finished, (n) => n === run.count, {
        timeoutMs: run.timeoutMs,
        intervalMs: 10,
        message: (n) => `only ${n} of ${run.count} ${run.what} after ${run.timeoutMs / 1000} s`,
      });
    } finally {
      await worker.close();
    }
    const seconds = (performance.now() - started) / 1000;
    const queue = createQueue(run.queue, connection, run.config.redisPrefix);
    const jobs = await queue.getJobCounts("completed", "failed", "waiting", "active", "delayed");
    await queue.close();
    const close = async () => {
      chain.close();
      await sql.end({ timeout: 5 });
    };
    return { seconds, workerErrors, jobs, chain, close };
  } catch (error) {
    chain.close();
    await sql.end({ timeout: 5 });
    throw error;
  } finally {
    await connection.quit();
  }
}
