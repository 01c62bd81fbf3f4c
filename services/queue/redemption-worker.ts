import { UnrecoverableError } from "bullmq";
import { RedemptionSettler } from "../engines/redemption-settler.js";
import { redemptionLedger } from "../db/redemption-finality.js";
import { openRedemptions } from "../db/redemptions.js";
import { redemptionJobId } from "./queues.js";
import { type QueueWorker, type QueueWorkerDeps, settlingWorker, watchingFinality } from "./queue-worker.js";

/**
 * A BullMQ worker whose jobs (one stored redemption each) all wait in one RedemptionSettler: a full
 * redeemWithPermitBatch goes out as soon as that many jobs are in hand. Its concurrency is two batches, as the
 * payment worker's: one gathers and goes out while the last waits for its block. A reconciler re-creates jobs
 * PostgreSQL still has open (Redis lost them, or they ran out of attempts). A finality watcher confirms paid
 * redemptions once their block is deep enough, reopens one a reorganisation took away, and settles anew from the
 * receipt there one whose relay moved to another block.
 */
export function startRedemptionWorker(deps: QueueWorkerDeps): QueueWorker {
  const { config, sql, chain, metrics } = deps;
  const settler = new RedemptionSettler(sql, chain, {
    batchMax: config.redemptionBatchMax,
    batchMs: config.redemptionBatchMs,
    onBatch(size, gasUsed) {
      metrics?.redemptionBatchSize.observe(size);
      metrics?.redemptionGasUsed.inc(Number(gasUsed));
    },
  });
  const worker = settlingWorker(deps, {
    queue: "redemptions",
    what: "redemption",
    concurrency: 2 * config.redemptionBatchMax,
    async process({ redemptionId }) {
      if (!Number.isSafeInteger(redemptionId) || redemptionId < 1) throw new UnrecoverableError(`bad redemptionId ${redemptionId}`);
      const outcome = await settler.settle(BigInt(redemptionId));
      if (!outcome) throw new UnrecoverableError(`redemption ${redemptionId} does not exist`);
      metrics?.redemptionOutcomes.inc({ status: outcome.status });
      // The job's return value is stored as JSON: no bigints.
      return outcome.status === "included" || outcome.status === "confirmed"
        ? { status: outcome.status, txHash: outcome.txHash, vaultRedemptionId: String(outcome.vaultRedemptionId) }
        : outcome;
    },
    openJobs: async (olderThanMs) =>
      (await openRedemptions(sql, olderThanMs)).map((r) => ({ jobId: redemptionJobId(r.id), data: { redemptionId: Number(r.id) } })),
  });
  return watchingFinality(deps, worker, redemptionLedger(sql), (receipt) => settler.settleMoved(receipt));
}
