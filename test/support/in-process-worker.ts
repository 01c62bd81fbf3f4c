import { Redis } from "ioredis";
import { type Chain, connectChain } from "../../services/chain/network.js";
import type { Config } from "../../services/config.js";
import type { Sql } from "../../services/db/sql.js";
import type { Stack } from "./stack.js";

interface WorkerDeps {
  config: Config;
  sql: Sql;
  chain: Chain;
  connection: Redis;
  log: Pick<Console, "info" | "error">;
}

/** A queue worker in this process with its own chain signer and Redis connection, as workers/*.ts wire one. */
export async function startInProcessWorker<W extends { close(): Promise<void> }>(
  stack: Stack,
  signerKey: string,
  start: (deps: WorkerDeps) => W,
) {
  const chain = await connectChain(stack.config.chainRpcUrl!, stack.deployment, signerKey);
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
