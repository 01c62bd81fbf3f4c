import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { Counter, Histogram, Registry, collectDefaultMetrics } from "prom-client";

/**
 * What a worker process measures. Workers run apart from the API, so each serves its own registry on its
 * own port (METRICS_PORT): Prometheus scrapes every process, and their counters never need merging.
 */
export interface WorkerMetrics {
  registry: Registry;
  paymentBatchSize: Histogram;
  paymentGasUsed: Counter;
  /** From a payment's job starting to its outcome: the wait for a batch to fill, the send and the receipt. */
  paymentSettleSeconds: Histogram<"status">;
  redemptionOutcomes: Counter<"status">;
  redemptionBatchSize: Histogram;
  redemptionGasUsed: Counter;
  webhookDeliveries: Counter<"status">;
}

/** One registry per worker (not prom-client's global one), so several workers in one test process never share counters. */
export function createWorkerMetrics(): WorkerMetrics {
  const registry = new Registry();
  const registers = [registry];
  collectDefaultMetrics({ register: registry, prefix: "recircle_" });
  return {
    registry,
    paymentBatchSize: new Histogram({
      name: "recircle_payment_batch_size",
      help: "Payments per transferWithAuthorizationBatch transaction",
      buckets: [1, 10, 50, 100, 200, 300],
      registers,
    }),
    paymentGasUsed: new Counter({ name: "recircle_payment_gas_used_total", help: "Gas used by payment relays", registers }),
    paymentSettleSeconds: new Histogram({
      name: "recircle_payment_settle_seconds",
      help: "From a payment job starting to its outcome (included in a block, or failed), by outcome",
      labelNames: ["status"],
      buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 15, 60],
      registers,
    }),
    redemptionOutcomes: new Counter({
      name: "recircle_redemptions_total",
      help: "Redemptions settled by this worker, by outcome (confirmed, failed)",
      labelNames: ["status"],
      registers,
    }),
    redemptionBatchSize: new Histogram({
      name: "recircle_redemption_batch_size",
      help: "Redemptions per redeemWithPermitBatch transaction",
      buckets: [1, 5, 10, 25, 50, 100],
      registers,
    }),
    redemptionGasUsed: new Counter({ name: "recircle_redemption_gas_used_total", help: "Gas used by redemption relays", registers }),
    webhookDeliveries: new Counter({
      name: "recircle_webhook_deliveries_total",
      help: "Webhook delivery attempts by HTTP status, or the outcome when none came (timeout, refused, blocked_address, ...)",
      labelNames: ["status"],
      registers,
    }),
  };
}

export interface MetricsServer {
  port: number;
  close(): Promise<void>;
}

/**
 * Serves `registry` at GET /metrics on 127.0.0.1:`port` (0: any free port). Loopback only: the numbers are
 * for a local scraper or a proxy in front of it, not for the internet.
 */
export async function serveMetrics(registry: Registry, port: number): Promise<MetricsServer> {
  const server = createServer((request, response) => {
    if (request.method !== "GET" || request.url?.split("?")[0] !== "/metrics") {
      response.writeHead(404).end();
      return;
    }
    registry.metrics().then(
      (body) => response.writeHead(200, { "content-type": registry.contentType }).end(body),
      (error: Error) => response.writeHead(500, { "content-type": "text/plain" }).end(error.message),
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, "127.0.0.1", () => resolve());
  });
  return {
    port: (server.address() as AddressInfo).port,
    close: () =>
      new Promise<void>((resolve, reject) => {
        // A scraper's keep-alive connection would otherwise hold close() open.
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}

/** The process's metrics server when METRICS_PORT is set; nothing otherwise. */
export const serveWorkerMetrics = (metrics: WorkerMetrics, port: number | undefined) =>
  port === undefined ? Promise.resolve(undefined) : serveMetrics(metrics.registry, port);
