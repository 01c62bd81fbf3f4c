import { type IsolatedRun, startIsolatedRun } from "../lib/isolated-run.js";
import { LOAD_RATE_LIMITS } from "../lib/load-limits.js";

export { deletePrefixKeys } from "../lib/isolated-run.js";

/**
 * What one chaos run owns (scripts/isolated-run.ts): a Hardhat node on a free loopback port (or a given one),
 * a fresh network on it, the database recircle_chaos_<id>, the Redis prefix {recircle-chaos-<id>} and an admin
 * key; and the variables every process it starts gets (it passes no other environment down).
 */
export interface ChaosEnvironment extends IsolatedRun {
  env: Record<string, string>;
}

export async function startEnvironment(log: (line: string) => void, options: { chainUrl?: string } = {}): Promise<ChaosEnvironment> {
  const run = await startIsolatedRun("chaos", log, options);
  const env = {
    DATABASE_URL: run.databaseUrl,
    REDIS_URL: run.redisUrl,
    REDIS_PREFIX: run.redisPrefix,
    CHAIN_RPC_URL: run.chainUrl,
    ADDRESS_BOOK: run.addressBook,
    STATE_DIR: run.stateDir,
    HOST: "127.0.0.1",
    ...LOAD_RATE_LIMITS,
  };
  return { ...run, env };
}
