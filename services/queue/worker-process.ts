import { Redis } from "ioredis";
import { openChain } from "../chain/network.js";
import { registerRpcMetrics } from "../chain/rpc-metrics.js";
import type { Config } from "../config.js";
import { createSql } from "../db/sql.js";
import { consoleStyle, createLogger, loadConfigOrExit } from "../logger.js";
import type { QueueWorker, QueueWorkerDeps } from "./queue-worker.js";
import { closeOnSignal } from "./shutdown.js";
import { registerSignerMetrics } from "./signer-metrics.js";
import { createWorkerMetrics, serveWorkerMetrics } from "./worker-metrics.js";

/**
 * The body of a chain-writing worker process (workers/payments.ts, workers/redemptions.ts): config, one
 * signer of its own, its queue worker, optional metrics, a reconcile of every open row at start, and an
 * orderly stop on SIGINT/SIGTERM.
 */
export async function runWorkerProcess(options: {
  /** "payment", "redemption": how the process names itself and its rows in its log lines. */
  kind: string;
  signerKey: (config: Config) => string | undefined;
  /** The published dev key this kind signs with on the dev chain when no key is configured. */
  devKey: string;
  start: (deps: QueueWorkerDeps) => QueueWorker;
  describe?: (config: Config) => string;
}): Promise<void> {
  const config = loadConfigOrExit(`${options.kind}s`);
  const log = createLogger(config, `${options.kind}s`);
  const sql = createSql(config.databaseUrl, { max: 4 });
  const chain = await openChain(config, options.signerKey(config), options.devKey, log);
  const connection = new Redis(config.redisUrl, { maxRetriesPerRequest: null });
  const metrics = createWorkerMetrics();
  registerRpcMetrics(metrics.registry, chain.provider);
  registerSignerMetrics(metrics.registry, chain.writer);
  const worker = options.start({ config, sql, chain, connection, metrics, log: consoleStyle(log) });
  const metricsServer = await serveWorkerMetrics(metrics, config.metricsPort);
  if (metricsServer) log.info({ url: `http://127.0.0.1:${metricsServer.port}/metrics` }, `${options.kind} worker metrics`);
  // At start every open row counts: re-adding a job that exists is a no-op.
  const { enqueued, retried } = await worker.reconcile(0);
  log.info(
    `${options.kind} worker ${chain.writer.address} on chain ${chain.chainId}${options.describe?.(config) ?? ""}` +
      (enqueued + retried > 0 ? `; re-enqueued ${enqueued}, retried ${retried} open ${options.kind}s` : ""),
  );

  closeOnSignal(async () => {
    await metricsServer?.close();
    // A relay waiting on fees above the ceiling would hold the close until they fall: past a grace period
    // the writer lets go, and the job, still open in PostgreSQL, is settled by the next run.
    const letGo = setTimeout(() => chain.writer.close(), 10_000);
    await worker.close();
    clearTimeout(letGo);
    await connection.quit();
    chain.close();
    await sql.end({ timeout: 5 });
  });
}
