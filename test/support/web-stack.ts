import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { inject } from "vitest";
import { startAnvil, stopAnvil } from "../../harness/lib/anvil.js";
import { freePort } from "../../harness/lib/isolated-run.js";
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
 * `anvil`: on an Anvil node of its own (chain 412346, a block every 2 s) with a user's default configuration.
 */
export async function startWebStack(options: { anvil?: boolean } = {}): Promise<WebStack> {
  const folder = options.anvil ? await mkdtemp(join(tmpdir(), "recircle-web-anvil-")) : undefined;
  const node = folder ? await startAnvil({ port: await freePort(), stateDir: folder }) : undefined;
  const chainUrl = node?.url ?? inject("chainUrl");
  // WEB_DIST lets a developer test a build of their own while another build of web/dist is under way.
  const env = { PUBLIC_CHAIN_RPC_URL: chainUrl, PUBLIC_EXPLORER_URL: EXPLORER, ...(process.env.WEB_DIST ? { WEB_DIST: process.env.WEB_DIST } : {}) };
  const stack = await startStack({ env, ...(node ? { chainUrl, userDefaults: true } : {}) });
  const workers = [
    spawnWorker(stack, "payments", { PAYMENT_WORKER_PRIVATE_KEY: DEV_WORKER_KEYS[0], ...(node ? {} : { PAYMENT_BATCH_MS: "50" }) }),
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
      if (node) await stopAnvil(node);
      if (folder) await rm(folder, { recursive: true, force: true });
    },
  };
}
