import { inject } from "vitest";
import { DEV_WORKER_KEYS } from "../../services/chain/network.js";
import { startStack, type Stack } from "./stack.js";
import { exited, spawnWorker } from "./worker-process.js";

/** Pages link transactions here (nothing is fetched from it: the tests only read the links). */
export const EXPLORER = "https://explorer.example.org";

export interface WebStack extends Stack {
  /** Where the API (and the built web app at `/`) listens on loopback. */
  url: string;
  /** The indexer worker's process (a test may pause it to hold the index behind the chain). */
  indexer: ReturnType<typeof spawnWorker>;
}

/**
 * The API listening on a loopback port and serving the built web app (npm test builds web/dist first),
 * with the payment, redemption and indexer workers as their own processes: everything a page touches.
 */
export async function startWebStack(): Promise<WebStack> {
  const chainUrl = inject("chainUrl");
  // WEB_DIST lets a developer test a build of their own while another build of web/dist is under way.
  const stack = await startStack({ env: { PUBLIC_CHAIN_RPC_URL: chainUrl, PUBLIC_EXPLORER_URL: EXPLORER, ...(process.env.WEB_DIST ? { WEB_DIST: process.env.WEB_DIST } : {}) } });
  const workers = [
    spawnWorker(stack, "payments", { PAYMENT_WORKER_PRIVATE_KEY: DEV_WORKER_KEYS[0], PAYMENT_BATCH_MS: "50" }),
    spawnWorker(stack, "redemptions", { REDEMPTION_WORKER_PRIVATE_KEY: DEV_WORKER_KEYS[1] }),
    spawnWorker(stack, "indexer", {}),
  ];
  const url = await stack.app.listen({ host: "127.0.0.1", port: 0 });
  return {
    ...stack,
    url,
    indexer: workers[2]!,
    async close() {
      for (const worker of workers) worker.kill("SIGCONT"), worker.kill("SIGTERM");
      await Promise.all(workers.map(exited));
      await stack.close();
    },
  };
}
