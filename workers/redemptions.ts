/**
 * The redemption worker process: relays retailers' permits to the vault, one redeemWithPermit each. Its
 * dev key is not the payment worker's, so the two never share a nonce sequence; elsewhere each process
 * needs its own REDEMPTION_WORKER_PRIVATE_KEY for the same reason.
 */
import { Redis } from "ioredis";
import { openChain } from "../services/api/plugins/chain.js";
import { DEV_WORKER_KEYS } from "../services/chain/network.js";
import { loadConfig } from "../services/config.js";
import { closeOnSignal } from "../services/queue/shutdown.js";
import { createSql } from "../services/db/sql.js";
import { startRedemptionWorker } from "../services/queue/redemption-worker.js";
import { createWorkerMetrics, serveWorkerMetrics } from "../services/queue/worker-metrics.js";

const config = loadConfig();
const sql = createSql(config.databaseUrl, { max: 4 });
const chain = await openChain(config, config.redemptionWorkerPrivateKey, DEV_WORKER_KEYS[1]);
const connection = new Redis(config.redisUrl, { maxRetriesPerRequest: null });
const metrics = createWorkerMetrics();
const worker = startRedemptionWorker({ config, sql, chain, connection, metrics });
const metricsServer = await serveWorkerMetrics(metrics, config.metricsPort);
if (metricsServer) console.log(`redemption worker metrics on http://127.0.0.1:${metricsServer.port}/metrics`);
// At start every open redemption counts: re-adding a job that exists is a no-op.
const { enqueued, retried } = await worker.reconcile(0);
console.log(
  `redemption worker ${chain.writer.address} on chain ${chain.chainId}` +
    (enqueued + retried > 0 ? `; re-enqueued ${enqueued}, retried ${retried} open redemptions` : ""),
);

closeOnSignal(async () => {
  await metricsServer?.close();
  await worker.close();
  await connection.quit();
  chain.close();
  await sql.end({ timeout: 5 });
});
