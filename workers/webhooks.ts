/**
 * The webhook worker process: dispatches the webhook outbox into the "webhooks" queue and delivers each
 * event, signed, to its subscribers with retries. Needs no chain key; several may run side by side.
 */
import { Redis } from "ioredis";
import { loadConfig } from "../services/config.js";
import { createSql } from "../services/db/sql.js";
import { closeOnSignal } from "../services/queue/shutdown.js";
import { startWebhookWorker } from "../services/queue/webhook-worker.js";
import { createWorkerMetrics, serveWorkerMetrics } from "../services/queue/worker-metrics.js";

const config = loadConfig();
const sql = createSql(config.databaseUrl, { max: 4 });
const connection = new Redis(config.redisUrl, { maxRetriesPerRequest: null });
const metrics = createWorkerMetrics();
const worker = startWebhookWorker({ config, sql, connection, metrics });
const metricsServer = await serveWorkerMetrics(metrics, config.metricsPort);
if (metricsServer) console.log(`webhook worker metrics on http://127.0.0.1:${metricsServer.port}/metrics`);
const dispatched = await worker.dispatch();
console.log(`webhook worker: delivering${dispatched > 0 ? `; dispatched ${dispatched} waiting events` : ""}`);

closeOnSignal(async () => {
  await metricsServer?.close();
  await worker.close();
  await connection.quit();
  await sql.end({ timeout: 5 });
});
