/**
 * The payment worker process: settles accepted payments through the token's batch relay. Several may run
 * on the same queue, each with its own PAYMENT_WORKER_PRIVATE_KEY, so their transaction nonces never collide.
 */
import { DEV_WORKER_KEYS } from "../services/chain/network.js";
import { startPaymentWorker } from "../services/queue/payment-worker.js";
import { runWorkerProcess } from "../services/queue/worker-process.js";

await runWorkerProcess({
  kind: "payment",
  signerKey: (config) => config.paymentWorkerPrivateKey,
  devKey: DEV_WORKER_KEYS[0],
  start: startPaymentWorker,
  describe: (config) => `: batches of ${config.paymentBatchMax}`,
});
