import type { FastifyInstance } from "fastify";
import fp from "fastify-plugin";
import { Gauge } from "prom-client";
import { registerRpcMetrics } from "../../chain/rpc-metrics.js";
import { WEBHOOK_FAILURE_WINDOW_MINUTES } from "../../db/metrics.js";
import { QUEUE_STATES, SCRAPE_CACHE_MS } from "./system-figures.js";

export { SCRAPE_CACHE_MS } from "./system-figures.js";

/**
 * Gauges read when /metrics is scraped rather than kept up to date: queue depths, the mint and webhook outboxes
 * and the indexer's distance from the head, through the same cached readers as the console's System tab
 * (system-figures.ts), so a scrape and the console together still cost one read every few seconds.
 */
export default fp(
  async (app: FastifyInstance) => {
    const registers = [app.metrics.registry];
    const figures = app.systemFigures;
    registerRpcMetrics(app.metrics.registry, app.chain.provider);
    const log = (what: string) => (error: unknown) => app.log.warn({ err: error }, `metrics: ${what} unavailable`);

    new Gauge({
      name: "recircle_queue_jobs",
      help: `Jobs per BullMQ queue and state, read at scrape time (at most every ${SCRAPE_CACHE_MS / 1000} s)`,
      labelNames: ["queue", "state"],
      registers,
      async collect() {
        for (const { name, counts } of await figures.queues()) {
          if (counts) for (const state of QUEUE_STATES) this.set({ queue: name, state }, counts[state] ?? 0);
        }
      },
    });

    new Gauge({
      name: "recircle_mint_outbox_events",
      help: "Accepted events not yet minted, by status (pending, submitted, held for review, failed: refused by the token)",
      labelNames: ["status"],
      registers,
      async collect() {
        const stats = await figures.outbox().catch(log("mint outbox"));
        if (stats) for (const [status, count] of Object.entries(stats.counts)) this.set({ status }, count);
      },
    });
    new Gauge({
      name: "recircle_mint_confirmation_lag_seconds",
      help: "Age of the oldest event still pending or submitted (0 when none is): how far minting trails acceptance",
      registers,
      async collect() {
        const stats = await figures.outbox().catch(log("mint outbox"));
        if (stats) this.set(stats.oldestAgeSeconds);
      },
    });

    new Gauge({
      name: "recircle_indexer_lag_blocks",
      help: "Chain head minus the indexer's checkpoint block (includes CHAIN_CONFIRMATIONS)",
      registers,
      async collect() {
        const stats = await figures.indexer().catch(log("indexer lag"));
        this.set(stats?.lagBlocks ?? Number.NaN);
      },
    });
    new Gauge({
      name: "recircle_indexer_checkpoint_age_seconds",
      help: "Seconds since the indexer last moved its checkpoint (NaN before its first range)",
      registers,
      async collect() {
        const stats = await figures.indexer().catch(log("indexer lag"));
        this.set(stats?.ageSeconds ?? Number.NaN);
      },
    });

    new Gauge({
      name: "recircle_webhook_outbox_lag_seconds",
      help: "Age of the oldest webhook event not yet dispatched to the delivery queue (0 when none waits)",
      registers,
      async collect() {
        const stats = await figures.webhooks().catch(log("webhook outbox"));
        if (stats) this.set(stats.oldestAgeSeconds);
      },
    });
    new Gauge({
      name: "recircle_webhook_failed_deliveries",
      help: `Webhook delivery attempts of the last ${WEBHOOK_FAILURE_WINDOW_MINUTES} minutes that got no 2xx answer`,
      registers,
      async collect() {
        const stats = await figures.webhooks().catch(log("webhook deliveries"));
        if (stats) this.set(stats.recentFailures);
      },
    });
  },
  { name: "scrape-metrics", dependencies: ["metrics", "system-figures", "chain"] },
);
