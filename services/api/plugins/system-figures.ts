import { computeAddress, formatEther } from "ethers";
import type { FastifyInstance } from "fastify";
import fp from "fastify-plugin";
import type { Gauge } from "prom-client";
import { DEV_CHAIN_ID, DEV_WORKER_KEYS } from "../../chain/network.js";
import type { Config } from "../../config.js";
import { checkpointStats, outboxStats, webhookStats } from "../../db/metrics.js";

export const QUEUE_STATES = ["waiting", "active", "delayed", "failed"] as const;
export type QueueState = (typeof QUEUE_STATES)[number];
/**
 * A read never waits on a slow node longer than this. The indexer's lag is then unknown (NaN on /metrics): 0
 * would look like an indexer that is keeping up.
 */
const HEAD_TIMEOUT_MS = 500;
/**
 * Figures read from PostgreSQL, Redis or the chain are kept this long: /metrics and the console's System tab
 * cost at most one outbox query, one checkpoint query, one head lookup, one count per queue and one balance per
 * signer every few seconds, however often they are asked (a flood of scrapes then costs nothing).
 */
export const SCRAPE_CACHE_MS = 5_000;

export type SignerRole = "operator" | "payments" | "redemptions";
export interface SignerFigure {
  role: SignerRole;
  address: string;
  /** From the node; undefined when it did not answer. */
  balanceEth: number | undefined;
  /** The writer's own low-balance flag, known only for a signer that sends from this process (else undefined). */
  low: boolean | undefined;
}

/** What /metrics and GET /v1/admin/system both read: each reader shares one answer for SCRAPE_CACHE_MS. */
export interface SystemFigures {
  /** Each queue's jobs by state; undefined for a queue Redis did not answer for (logged). */
  queues(): Promise<{ name: string; counts: Record<QueueState, number> | undefined }[]>;
  outbox(): ReturnType<typeof outboxStats>;
  indexer(): Promise<{ headBlock: number; lagBlocks: number; ageSeconds: number | undefined }>;
  webhooks(): ReturnType<typeof webhookStats>;
  signers(): Promise<SignerFigure[]>;
}

declare module "fastify" {
  interface FastifyInstance {
    systemFigures: SystemFigures;
  }
}

/** Runs `read` at most once per SCRAPE_CACHE_MS; concurrent callers share the one promise. */
export function shared<T>(read: () => Promise<T>): () => Promise<T> {
  let last: { at: number; value: Promise<T> } | undefined;
  return () => {
    if (!last || Date.now() - last.at > SCRAPE_CACHE_MS) {
      last = { at: Date.now(), value: read() };
      // A failed read is not kept: the next caller tries again.
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
 * The workers' signers as this deployment configures them (the same keys `npm start` hands its workers); on
 * the dev chain with none configured, the dev keys the first workers sign with. Only addresses leave here.
 */
function workerSigners(config: Config, chainId: number): { role: SignerRole; address: string }[] {
  const keysOf = (list: string[], one: string | undefined, dev: string) =>
    list.length > 0 ? list : one !== undefined ? [one] : chainId === DEV_CHAIN_ID ? [dev] : [];
  return [
    ...keysOf(config.paymentWorkerPrivateKeys, config.paymentWorkerPrivateKey, DEV_WORKER_KEYS[0]).map((key) => ({ role: "payments" as const, key })),
    ...keysOf(config.redemptionWorkerPrivateKeys, config.redemptionWorkerPrivateKey, DEV_WORKER_KEYS[1]).map((key) => ({ role: "redemptions" as const, key })),
  ].map(({ role, key }) => ({ role, address: computeAddress(key) }));
}

/**
 * Figures that belong to Redis, PostgreSQL and the chain, which every process shares: queue depths, the mint
 * and webhook outboxes, the indexer's distance from the head, the signers' balances. Each read is a few cheap
 * lookups (BullMQ's counters, grouped counts over partial indexes, one row, one balance per signer).
 */
export default fp(
  async (app: FastifyInstance, { config }: { config: Config }) => {
    const queueReads = Object.entries(app.queues).map(([name, queue]) => ({
      name,
      read: shared(async () => (await queue.getJobCounts(...QUEUE_STATES)) as Record<QueueState, number>),
    }));
    const indexer = shared(async () => {
      const [head, checkpoint] = await Promise.all([withTimeout(app.chain.provider.getBlockNumber(), HEAD_TIMEOUT_MS), checkpointStats(app.sql)]);
      // No checkpoint yet: the indexer has read nothing, so it trails from the deployment's first block.
      const indexed = checkpoint?.blockNumber ?? app.chain.deployment.startBlock - 1;
      return { headBlock: head, lagBlocks: head - indexed, ageSeconds: checkpoint?.ageSeconds };
    });
    const known = [{ role: "operator" as const, address: app.chain.writer.address }, ...workerSigners(config, app.chain.chainId)];
    const signers = shared(async () => {
      // The low flag lives in the writer that sends: the gauge registerSignerMetrics keeps when this process
      // runs a signer (the in-process operator). Another process's flag is on that process's own /metrics.
      const lowGauge = app.metrics.registry.getSingleMetric("recircle_signer_balance_low") as Gauge | undefined;
      const lowValues = lowGauge ? (await lowGauge.get()).values : [];
      return Promise.all(
        known.map(async ({ role, address }) => {
          const balance = await withTimeout(app.chain.provider.getBalance(address), HEAD_TIMEOUT_MS).catch(() => undefined);
          const low = lowValues.find((value) => value.labels.signer === address)?.value;
          return { role, address, balanceEth: balance === undefined ? undefined : Number(formatEther(balance)), low: low === undefined ? undefined : low === 1 };
        }),
      );
    });
    app.decorate("systemFigures", {
      queues: () =>
        Promise.all(
          queueReads.map(async ({ name, read }) => ({
            name,
            counts: await read().catch((error: unknown) => void app.log.warn({ err: error }, `system figures: ${name} queue depth unavailable`)),
          })),
        ),
      outbox: shared(() => outboxStats(app.sql)),
      indexer,
      webhooks: shared(() => webhookStats(app.sql)),
      signers,
    });
  },
  { name: "system-figures", dependencies: ["metrics", "sql", "queues", "chain"] },
);
