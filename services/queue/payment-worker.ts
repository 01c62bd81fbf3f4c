import { UnrecoverableError, Worker } from "bullmq";
import { PaymentSettler } from "../engines/payment-settler.js";
import { openPayments } from "../db/payments.js";
import { createQueue, paymentJobId, type JobRegistry, workerOptions } from "./queues.js";
import { reconcileEvery } from "./reconciler.js";
import type { QueueWorker, QueueWorkerDeps } from "./queue-worker.js";

/**
 * A BullMQ worker whose jobs all wait in one PaymentSettler: with concurrency = batch size, a full batch
 * goes out as soon as that many jobs are in hand. A reconciler re-creates jobs PostgreSQL still has open.
 */
export function startPaymentWorker(options: QueueWorkerDeps): QueueWorker {
  const { config, sql, chain, connection, log = console, metrics } = options;
  const queue = createQueue("payments", connection, config.redisPrefix);
  const settler = new PaymentSettler(sql, chain, {
    batchMax: config.paymentBatchMax,
    batchMs: config.paymentBatchMs,
    onBatch(size, gasUsed) {
      metrics?.paymentBatchSize.observe(size);
      metrics?.paymentGasUsed.inc(Number(gasUsed));
    },
  });
  const worker = new Worker<JobRegistry["payments"]["data"]>(
    "payments",
    async (job) => {
      const { paymentId } = job.data;
      if (!Number.isSafeInteger(paymentId) || paymentId < 1) throw new UnrecoverableError(`bad paymentId ${paymentId}`);
      const started = performance.now();
      const outcome = await settler.settle(BigInt(paymentId));
      metrics?.paymentSettleSeconds.observe({ status: outcome?.status ?? "retry" }, (performance.now() - started) / 1000);
      return outcome;
    },
    {
      connection,
      ...workerOptions(config),
      concurrency: config.paymentBatchMax,
    },
  );
  worker.on("error", (error) => log.error("payment worker error", error));

  const reconciler = reconcileEvery(
    queue,
    "settle-payment",
    async (olderThanMs) =>
      (await openPayments(sql, olderThanMs)).map((p) => ({ jobId: paymentJobId(p.payer, p.nonce), data: { paymentId: Number(p.id) } })),
    { everyMs: options.reconcileEveryMs ?? 15_000, onError: (error) => log.error("payment reconciler error", error) },
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
