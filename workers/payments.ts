/**
 * The payment worker process: settles accepted payments through the token's batch relay. Several may run
 * on the same queue, each with its own PAYMENT_WORKER_PRIVATE_KEY, so their transaction nonces never collide.
 */
import { Redis } from "ioredis";
import { openChain } from "../services/api/plugins/chain.js";
import { DEV_WORKER_KEYS } from "../services/chain/network.js";
import { loadConfig } from "../services/config.js";
import { closeOnSignal } from "../services/queue/shutdown.js";
import { createSql } from "../services/db/sql.js";
import { startPaymentWorker } from "../services/queue/payment-worker.js";
import { createWorkerMetrics, serveWorkerMetrics } from "../services/queue/worker-metrics.js";

const config = loadConfig();
const sql = createSql(config.databaseUrl, { max: 4 });
const chain = await openChain(config, config.paymentWorkerPrivateKey, DEV_WORKER_KEYS[0]);
const connection = new Redis(config.redisUrl, { maxRetriesPerRequest: null });
const metrics = createWorkerMetrics();
const worker = startPaymentWorker({ config, sql, chain, connection, metrics });
const metricsServer = await serveWorkerMetrics(metrics, config.metricsPort);
if (metricsServer) console.log(`payment worker metrics on http://127.0.0.1:${metricsServer.port}/metrics`);
// At start every open payment counts: re-adding a job that exists is a no-op.
const { enqueued, retried } = await worker.reconcile(0);
console.log(
  `payment worker ${chain.writer.address} on chain ${chain.chainId}: batches of ${config.paymentBatchMax}` +
    (enqueued + retried > 0 ? `; re-enqueued ${enqueued}, retried ${retried} open payments` : ""),
);

closeOnSignal(async () => {
  await metricsServer?.close();
  await worker.close();
  await connection.quit();
  chain.close();
  await sql.end({ timeout: 5 });
});
