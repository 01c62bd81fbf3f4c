/**
 * The redemption worker process: relays retailers' permits to the vault in redeemWithPermitBatch transactions. Its
 * dev key is not the payment worker's, so the two never share a nonce sequence; elsewhere each process
 * needs its own REDEMPTION_WORKER_PRIVATE_KEY for the same reason.
 */
import { DEV_WORKER_KEYS } from "../services/chain/network.js";
import { startRedemptionWorker } from "../services/queue/redemption-worker.js";
import { runWorkerProcess } from "../services/queue/worker-process.js";

await runWorkerProcess({
  kind: "redemption",
  signerKey: (config) => config.redemptionWorkerPrivateKey,
  devKey: DEV_WORKER_KEYS[1],
  start: startRedemptionWorker,
});
