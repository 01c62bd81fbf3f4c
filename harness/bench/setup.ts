import type { NetworkDeployment } from "../../services/chain/address-book.js";
import { type Chain, connectChain, DEV_OPERATOR_KEY } from "../../services/chain/network.js";
import { DEFAULT_BATCH, loadConfig, type Config } from "../../services/config.js";
import type { Sql } from "../../services/db/sql.js";
import { type NodeKind, startIsolatedRun } from "../lib/isolated-run.js";
import { LOAD_RATE_LIMITS } from "../lib/load-limits.js";

export { freePort } from "../lib/isolated-run.js";

/** Everything a benchmark run owns: its Hardhat node, a fresh network on it, its database and admin key. */
export interface Bench {
  runId: string;
  stateDir: string;
  config: Config;
  /** The benchmark's own pool, for setup, the batcher and the checks (the API has its own). */
  sql: Sql;
  chain: Chain;
  deployment: NetworkDeployment;
  adminKey: string;
  close(options: { keepLogs: boolean }): Promise<void>;
}

/**
 * Starts a Hardhat node (or `node`) on a free loopback port, deploys the network, creates and migrates recircle_bench_<id>.
 * `env` adds or overrides configuration (the fuzz sets phone and session secrets to reach those routes).
 */
export async function startBench(log: (line: string) => void, env: Record<string, string> = {}, node: NodeKind = "hardhat"): Promise<Bench> {
  const run = await startIsolatedRun("bench", log, { poolSize: 8, node });
  try {
    const config = loadConfig({
      DATABASE_URL: run.databaseUrl,
      REDIS_URL: run.redisUrl,
      REDIS_PREFIX: run.redisPrefix,
      CHAIN_RPC_URL: run.chainUrl,
      OPERATOR_PRIVATE_KEY: DEV_OPERATOR_KEY,
      ADDRESS_BOOK: run.addressBook,
      STATE_DIR: run.stateDir,
      LOG_LEVEL: "silent",
      BATCH_MAX: String(DEFAULT_BATCH),
      BATCH_MS: "200",
      ...LOAD_RATE_LIMITS,
      ...env,
    });
    const chain = await connectChain(run.chainUrl, run.deployment, DEV_OPERATOR_KEY);
    // The sender keeps its signed transactions in the first pool it is given: the run's own, which outlives the
    // APIs and batchers of each phase that share this chain (an API's pool closes with its phase).
    chain.writer.useJournal(run.sql);
    run.onClose(() => chain.close());
    const { runId, stateDir, sql, deployment, adminKey, close } = run;
    return { runId, stateDir, config, sql, chain, deployment, adminKey, close };
  } catch (error) {
    await run.close({ keepLogs: true });
    throw error;
  }
}
