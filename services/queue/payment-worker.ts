import { UnrecoverableError } from "bullmq";
import { paymentLedger } from "../db/payment-finality.js";
import { openPayments } from "../db/payments.js";
import { PaymentSettler } from "../engines/payment-settler.js";
import { paymentJobId } from "./queues.js";
import { type QueueWorker, type QueueWorkerDeps, settlingWorker, watchingFinality } from "./queue-worker.js";

/**
 * A BullMQ worker whose jobs all wait in one PaymentSettler: a full batch goes out as soon as that many jobs
 * are in hand. Its concurrency is two batches: one gathers and goes out while the last waits for its block
 * (with one, a chain with blocks every few seconds got one relay per block). A reconciler re-creates jobs
 * PostgreSQL still has open. A finality watcher confirms relayed payments once their block is deep enough; one
 * whose block a reorganisation took away is open again, and the reconciler gives it a job at once; one whose
 * relay moved to another block is settled anew from the receipt there.
 */
export function startPaymentWorker(deps: QueueWorkerDeps): QueueWorker {
  const { config, sql, chain, metrics } = deps;
  const settler = new PaymentSettler(sql, chain, {
    batchMax: config.paymentBatchMax,
    batchMs: config.paymentBatchMs,
    onBatch(size, gasUsed) {
      metrics?.paymentBatchSize.observe(size);
      metrics?.paymentGasUsed.inc(Number(gasUsed));
    },
  });
  const worker = settlingWorker(deps, {
    queue: "payments",
    what: "payment",
    concurrency: 2 * config.paymentBatchMax,
    async process({ paymentId }) {
      if (!Number.isSafeInteger(paymentId) || paymentId < 1) throw new UnrecoverableError(`bad paymentId ${paymentId}`);
      const started = performance.now();
      const outcome = await settler.settle(BigInt(paymentId));
      metrics?.paymentSettleSeconds.observe({ status: outcome?.status ?? "retry" }, (performance.now() - started) / 1000);
      return outcome;
    },
    openJobs: async (olderThanMs) =>
      (await openPayments(sql, olderThanMs)).map((p) => ({ jobId: paymentJobId(p.payer, p.nonce), data: { paymentId: Number(p.id) } })),
  });
  return watchingFinality(deps, worker, paymentLedger(sql), (receipt) => settler.settleMoved(receipt));
}
