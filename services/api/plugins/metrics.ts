import type { FastifyInstance } from "fastify";
import fp from "fastify-plugin";
import { Counter, Histogram, Registry, collectDefaultMetrics } from "prom-client";

export interface Metrics {
  registry: Registry;
  eventsAccepted: Counter<"kind" | "status">;
  acceptGroupSize: Histogram;
  acceptGroupsFailed: Counter;
  mintBatchSize: Histogram;
  mintBatchLatency: Histogram;
  mintGasUsed: Counter;
}

declare module "fastify" {
  interface FastifyInstance {
    metrics: Metrics;
  }
}

/** One registry per app, so tests and several apps in one process never share counters. */
export function createMetrics(): Metrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: "recircle_" });
  return {
    registry,
    eventsAccepted: new Counter({
      name: "recircle_events_accepted_total",
      help: "Collection and loyalty events accepted, by kind and initial status",
      labelNames: ["kind", "status"],
      registers: [registry],
    }),
    acceptGroupSize: new Histogram({
      name: "recircle_accept_group_size",
      help: "Drop-offs and loyalty events written per database transaction (group commit; 1: a request alone)",
      buckets: [1, 2, 4, 8, 16, 32, 64, 128],
      registers: [registry],
    }),
    acceptGroupsFailed: new Counter({
      name: "recircle_accept_groups_failed_total",
      help: "Groups of accepted events whose shared transaction failed and that were written one by one instead",
      registers: [registry],
    }),
    mintBatchSize: new Histogram({
      name: "recircle_mint_batch_size",
      help: "Events per mintBatch transaction",
      buckets: [1, 10, 50, 100, 250, 500],
      registers: [registry],
    }),
    mintBatchLatency: new Histogram({
      name: "recircle_mint_batch_confirm_seconds",
      help: "From sending a mintBatch to its receipt",
      buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 15, 60],
      registers: [registry],
    }),
    mintGasUsed: new Counter({ name: "recircle_mint_gas_used_total", help: "Gas used by mintBatch", registers: [registry] }),
  };
}

export default fp(
  async (app: FastifyInstance) => {
    const metrics = createMetrics();
    app.decorate("metrics", metrics);
    const httpDuration = new Histogram({
      name: "recircle_http_request_duration_seconds",
      help: "HTTP request latency by route and status",
      labelNames: ["method", "route", "status"],
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1],
      registers: [metrics.registry],
    });
    app.addHook("onResponse", async (request, reply) => {
      httpDuration.observe(
        { method: request.method, route: request.routeOptions.url ?? "unmatched", status: String(reply.statusCode) },
        reply.elapsedTime / 1000,
      );
    });
  },
  { name: "metrics" },
);
