import type { ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Wallet } from "ethers";
import { Redis } from "ioredis";
import type { NetworkDeployment } from "../../services/chain/address-book.js";
import { type Chain, connectChain, createProvider, DEV_OPERATOR_KEY } from "../../services/chain/network.js";
import { loadConfig, type Config } from "../../services/config.js";
import { generateApiKey, hashApiKey } from "../../services/core/api-keys.js";
import { claimDatabaseFor } from "../../services/db/deployment.js";
import { upsertBootstrapAdmin } from "../../services/db/members.js";
import { dropDatabase, ensureDatabase, migrate } from "../../services/db/migrate.js";
import { createSql, type Sql } from "../../services/db/sql.js";
import { deployTestNetwork } from "../dev-network.js";
import { startHardhatNode } from "../local-chain.js";

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

/** A free loopback port. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/**
 * Starts a Hardhat node on a free loopback port, deploys the network, creates and migrates recircle_bench_<id>.
 * `env` adds or overrides configuration (the fuzz sets phone and session secrets to reach those routes).
 */
export async function startBench(log: (line: string) => void, env: Record<string, string> = {}): Promise<Bench> {
  const runId = randomBytes(4).toString("hex");
  const stateDir = await mkdtemp(join(tmpdir(), "recircle-bench-"));
  const cleanups: (() => Promise<unknown> | unknown)[] = [];
  const close = async ({ keepLogs }: { keepLogs: boolean }) => {
    for (const cleanup of cleanups.reverse()) await Promise.resolve(cleanup()).catch(() => {});
    cleanups.length = 0;
    if (keepLogs) log(`logs kept in ${stateDir}`);
    else await rm(stateDir, { recursive: true, force: true });
  };
  try {
    const port = await freePort();
    const chainUrl = `http://127.0.0.1:${port}`;
    log(`chain:    starting a Hardhat node at ${chainUrl}`);
    const node: ChildProcess = await startHardhatNode(port, stateDir);
    cleanups.push(() => stopProcess(node));
    // Whatever ends this process (a crash included), the node goes with it.
    process.once("exit", () => node.kill("SIGKILL"));

    const provider = createProvider(chainUrl);
    const deployment = await deployTestNetwork(provider, new Wallet(DEV_OPERATOR_KEY).address);
    provider.destroy();
    log(`deploy:   factory ${deployment.contracts.factory}`);

    const config = loadConfig({
      DATABASE_URL: `postgres://postgres@127.0.0.1:5432/recircle_bench_${runId}`,
      REDIS_PREFIX: `recircle-bench-${runId}`,
      CHAIN_RPC_URL: chainUrl,
      OPERATOR_PRIVATE_KEY: DEV_OPERATOR_KEY,
      ADDRESS_BOOK: join(stateDir, "addresses.json"),
      STATE_DIR: stateDir,
      LOG_LEVEL: "silent",
      BATCH_MAX: "500",
      BATCH_MS: "200",
      ...env,
    });
    // Runs after everything else closed: the payment queue's keys (and anything else under the prefix).
    cleanups.push(() => deleteRedisKeys(config.redisUrl, `{${config.redisPrefix}}*`));
    await ensureDatabase(config.databaseUrl);
    cleanups.push(() => dropDatabase(config.databaseUrl));
    const sql = createSql(config.databaseUrl, { max: 8 });
    cleanups.push(() => sql.end({ timeout: 5 }));
    await migrate(sql);
    await claimDatabaseFor(sql, deployment);
    const adminKey = generateApiKey();
    await upsertBootstrapAdmin(sql, hashApiKey(adminKey));
    log(`database: ${new URL(config.databaseUrl).pathname.slice(1)} migrated`);

    const chain = await connectChain(chainUrl, deployment, DEV_OPERATOR_KEY);
    cleanups.push(() => chain.close());
    return { runId, stateDir, config, sql, chain, deployment, adminKey, close };
  } catch (error) {
    await close({ keepLogs: true });
    throw error;
  }
}

/** Removes every Redis key matching `pattern`, as the test stacks do. */
async function deleteRedisKeys(url: string, pattern: string) {
  const redis = new Redis(url);
  try {
    for await (const keys of redis.scanStream({ match: pattern, count: 500 })) {
      if ((keys as string[]).length > 0) await redis.del(...(keys as string[]));
    }
  } finally {
    await redis.quit();
  }
}

function stopProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill("SIGKILL"), 5_000);
    child.once("exit", () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill("SIGTERM");
  });
}
