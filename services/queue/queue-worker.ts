import type { Redis } from "ioredis";
import type { Chain } from "../chain/network.js";
import type { Config } from "../config.js";
import type { Sql } from "../db/sql.js";
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
