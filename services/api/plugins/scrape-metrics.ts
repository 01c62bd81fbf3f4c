import type { FastifyInstance } from "fastify";
import fp from "fastify-plugin";
import { Gauge } from "prom-client";
import { registerRpcMetrics } from "../../chain/rpc-metrics.js";
import { outboxStats, checkpointStats } from "../../db/metrics.js";

const QUEUE_STATES = ["waiting", "active", "delayed", "failed"] as const;
/**
 * A scrape never waits on a slow node longer than this. The indexer gauges then read NaN, as they do when
 * unknown: an unlabelled gauge cannot be left out, and 0 would look like an indexer that is keeping up.
 */
const HEAD_TIMEOUT_MS = 500;
/**
 * prom-client collects every gauge of a scrape at once; gauges reading one query share its answer for this
 * long, so a scrape costs one outbox query and one head lookup, not one per gauge.
 */
const SHARE_MS = 1_000;

/** Runs `read` at most once per SHARE_MS; concurrent callers share the one promise. */
function shared<T>(read: () => Promise<T>): () => Promise<T> {
  let last: { at: number; value: Promise<T> } | undefined;
  return () => {
    if (!last || Date.now() - last.at > SHARE_MS) {
      last = { at: Date.now(), value: read() };
      // A failed read is not kept: the next scrape tries again.
      last.value.catch(() => (last = undefined));
    }
    return last.value;
  };
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/**
 * Gauges read when /metrics is scraped rather than kept up to date: queue depths, the mint outbox and the
 * indexer's distance from the head belong to Redis, PostgreSQL and the chain, which every process shares.
 * Each read is a few cheap lookups (BullMQ's counters, one grouped count over a partial index, one row).
 */
export default fp(
  async (app: FastifyInstance) => {
    const registers = [app.metrics.registry];
    registerRpcMetrics(app.metrics.registry, app.chain.provider);
    const log = (what: string) => (error: unknown) => app.log.warn({ err: error }, `metrics: ${what} unavailable`);

    new Gauge({
      name: "recircle_queue_jobs",
      help: "Jobs per BullMQ queue and state, read at scrape time",
      labelNames: ["queue", "state"],
      registers,
      async collect() {
        await Promise.all(
          Object.entries(app.queues).map(async ([name, queue]) => {
            const counts = await queue.getJobCounts(...QUEUE_STATES).catch(log(`${name} queue depth`));
            if (counts) for (const state of QUEUE_STATES) this.set({ queue: name, state }, counts[state] ?? 0);
          }),
        );
      },
    });

    const outbox = shared(() => outboxStats(app.sql));
    new Gauge({
      name: "recircle_mint_outbox_events",
      help: "Accepted events not yet minted, by status (pending, submitted, held for review, failed: refused by the token)",
      labelNames: ["status"],
      registers,
      async collect() {
        const stats = await outbox().catch(log("mint outbox"));
        if (stats) for (const [status, count] of Object.entries(stats.counts)) this.set({ status }, count);
      },
    });
    new Gauge({
      name: "recircle_mint_confirmation_lag_seconds",
      help: "Age of the oldest event still pending or submitted (0 when none is): how far minting trails acceptance",
      registers,
      async collect() {
        const stats = await outbox().catch(log("mint outbox"));
        if (stats) this.set(stats.oldestAgeSeconds);
      },
    });

    const indexer = shared(async () => {
      const [head, checkpoint] = await Promise.all([
        withTimeout(app.chain.provider.getBlockNumber(), HEAD_TIMEOUT_MS),
        checkpointStats(app.sql),
      ]);
      // No checkpoint yet: the indexer has read nothing, so it trails from the deployment's first block.
      const indexed = checkpoint?.blockNumber ?? app.chain.deployment.startBlock - 1;
      return { lagBlocks: head - indexed, ageSeconds: checkpoint?.ageSeconds };
    });
    new Gauge({
      name: "recircle_indexer_lag_blocks",
      help: "Chain head minus the indexer's checkpoint block (includes CHAIN_CONFIRMATIONS)",
      registers,
      async collect() {
        const stats = await indexer().catch(log("indexer lag"));
        this.set(stats?.lagBlocks ?? Number.NaN);
      },
    });
    new Gauge({
      name: "recircle_indexer_checkpoint_age_seconds",
      help: "Seconds since the indexer last moved its checkpoint (NaN before its first range)",
      registers,
      async collect() {
        const stats = await indexer().catch(log("indexer lag"));
        this.set(stats?.ageSeconds ?? Number.NaN);
      },
    });
  },
  { name: "scrape-metrics", dependencies: ["metrics", "sql", "queues", "chain"] },
);
