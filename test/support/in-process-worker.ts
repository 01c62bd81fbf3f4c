import { Redis } from "ioredis";
import { connectChain, rpcUrlsOf } from "../../services/chain/network.js";
import type { QueueWorkerDeps } from "../../services/queue/queue-worker.js";
import type { Stack } from "./stack.js";


/** A queue worker in this process with its own chain signer and Redis connection, as workers/*.ts wire one. */
export async function startInProcessWorker<W extends { close(): Promise<void> }>(
  stack: Stack,
  signerKey: string,
  start: (deps: QueueWorkerDeps) => W,
) {
  const chain = await connectChain(rpcUrlsOf(stack.config), stack.deployment, signerKey, undefined, { logRange: stack.config.chainLogRange });
  const connection = new Redis(stack.config.redisUrl, { maxRetriesPerRequest: null });
  const worker = start({ config: stack.config, sql: stack.sql, chain, connection, log: { info() {}, error() {} } });
  return {
    worker,
    async close() {
      await worker.close();
      await connection.quit();
      chain.close();
    },
  };
}
