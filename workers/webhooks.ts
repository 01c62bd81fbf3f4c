/**
 * The webhook worker process: dispatches the webhook outbox into the "webhooks" queue and delivers each
 * event, signed, to its subscribers with retries. Needs no chain key; several may run side by side.
 */
import { Redis } from "ioredis";
import { createSql } from "../services/db/sql.js";
import { consoleStyle, createLogger, loadConfigOrExit } from "../services/logger.js";
import { closeOnSignal } from "../services/queue/shutdown.js";
import { startWebhookWorker } from "../services/queue/webhook-worker.js";
import { createWorkerMetrics, serveWorkerMetrics } from "../services/queue/worker-metrics.js";

const config = loadConfigOrExit("webhooks");
const log = createLogger(config, "webhooks");
const sql = createSql(config.databaseUrl, { max: 4 });
const connection = new Redis(config.redisUrl, { maxRetriesPerRequest: null });
const metrics = createWorkerMetrics();
const worker = startWebhookWorker({ config, sql, connection, metrics, log: consoleStyle(log) });
const metricsServer = await serveWorkerMetrics(metrics, config.metricsPort);
if (metricsServer) log.info({ url: `http://127.0.0.1:${metricsServer.port}/metrics` }, "webhook worker metrics");
const dispatched = await worker.dispatch();
log.info({ dispatched }, "webhook worker delivering");

closeOnSignal(async () => {
  await metricsServer?.close();
  await worker.close();
  await connection.quit();
  await sql.end({ timeout: 5 });
});
