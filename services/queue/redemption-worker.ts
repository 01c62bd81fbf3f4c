import { UnrecoverableError, Worker } from "bullmq";
import { RedemptionSettler } from "../engines/redemption-settler.js";
import { openRedemptions } from "../db/redemptions.js";
import { createQueue, redemptionJobId, type JobRegistry, workerOptions } from "./queues.js";
import { reconcileEvery } from "./reconciler.js";
import type { QueueWorker, QueueWorkerDeps } from "./queue-worker.js";

/**
 * A BullMQ worker whose jobs (one stored redemption each) all wait in one RedemptionSettler: with concurrency
 * = batch size, a full redeemWithPermitBatch goes out as soon as that many jobs are in hand. A reconciler
 * re-creates jobs PostgreSQL still has open (Redis lost them, or they ran out of attempts).
 */
export function startRedemptionWorker(options: QueueWorkerDeps): QueueWorker {
  const { config, sql, chain, connection, log = console, metrics } = options;
  const queue = createQueue("redemptions", connection, config.redisPrefix);
  const settler = new RedemptionSettler(sql, chain, {
    batchMax: config.redemptionBatchMax,
    batchMs: config.redemptionBatchMs,
    onBatch(size, gasUsed) {
      metrics?.redemptionBatchSize.observe(size);
      metrics?.redemptionGasUsed.inc(Number(gasUsed));
    },
  });
  const worker = new Worker<JobRegistry["redemptions"]["data"]>(
    "redemptions",
    async (job) => {
      const { redemptionId } = job.data;
      if (!Number.isSafeInteger(redemptionId) || redemptionId < 1) throw new UnrecoverableError(`bad redemptionId ${redemptionId}`);
      const outcome = await settler.settle(BigInt(redemptionId));
      if (!outcome) throw new UnrecoverableError(`redemption ${redemptionId} does not exist`);
      metrics?.redemptionOutcomes.inc({ status: outcome.status });
      // The job's return value is stored as JSON: no bigints.
      return outcome.status === "confirmed"
        ? { status: outcome.status, txHash: outcome.txHash, vaultRedemptionId: String(outcome.vaultRedemptionId) }
        : outcome;
    },
    { connection, ...workerOptions(config), concurrency: config.redemptionBatchMax },
  );
  worker.on("error", (error) => log.error("redemption worker error", error));

  const reconciler = reconcileEvery(
    queue,
    "redeem",
    async (olderThanMs) =>
      (await openRedemptions(sql, olderThanMs)).map((r) => ({ jobId: redemptionJobId(r.id), data: { redemptionId: Number(r.id) } })),
    { everyMs: options.reconcileEveryMs ?? 15_000, onError: (error) => log.error("redemption reconciler error", error) },
  );
  return {
    reconcile: reconciler.run,
    async close() {
      reconciler.stop();
      await worker.close();
      await queue.close();
    },
  };
}
