import type { ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Wallet } from "ethers";
import { Redis } from "ioredis";
import { type NetworkDeployment, recordDeployment } from "../../services/chain/address-book.js";
import { createProvider, DEV_OPERATOR_KEY } from "../../services/chain/network.js";
import { generateApiKey, hashApiKey } from "../../services/core/api-keys.js";
import { claimDatabaseFor } from "../../services/db/deployment.js";
import { upsertBootstrapAdmin } from "../../services/db/members.js";
import { dropDatabase, ensureDatabase, migrate } from "../../services/db/migrate.js";
import { createSql, type Sql } from "../../services/db/sql.js";
import { freePort } from "../bench/setup.js";
import { deployTestNetwork } from "../dev-network.js";
import { startHardhatNode } from "../local-chain.js";

/**
 * What one chaos run owns: a Hardhat node on a free loopback port (or a given one), a fresh network on it,
 * the database recircle_chaos_<id>, the Redis prefix {recircle-chaos-<id>} and an admin key. `close` drops
 * the database and deletes the prefix's keys (never anything else on the shared Redis), also after a failure.
 */
export interface ChaosEnvironment {
  runId: string;
  stateDir: string;
  chainUrl: string;
  deployment: NetworkDeployment;
  addressBook: string;
  databaseUrl: string;
  redisUrl: string;
  redisPrefix: string;
  adminKey: string;
  /** The harness's own pool, for the drain and the audit (the processes under test have theirs). */
  sql: Sql;
  /** Variables every process of the run gets (the harness passes no other environment down). */
  env: Record<string, string>;
  close(options: { keepLogs: boolean }): Promise<void>;
}

export async function startEnvironment(log: (line: string) => void, options: { chainUrl?: string } = {}): Promise<ChaosEnvironment> {
  const runId = randomBytes(4).toString("hex");
  const stateDir = await mkdtemp(join(tmpdir(), "recircle-chaos-"));
  const cleanups: (() => Promise<unknown> | unknown)[] = [];
  const close = async ({ keepLogs }: { keepLogs: boolean }) => {
    for (const cleanup of cleanups.reverse()) await Promise.resolve(cleanup()).catch(() => {});
    cleanups.length = 0;
    if (keepLogs) log(`logs kept in ${stateDir}`);
    else await rm(stateDir, { recursive: true, force: true });
  };
  try {
    let chainUrl = options.chainUrl;
    if (chainUrl === undefined) {
      chainUrl = `http://127.0.0.1:${await freePort()}`;
      log(`chain:    starting a Hardhat node at ${chainUrl}`);
      const node: ChildProcess = await startHardhatNode(Number(new URL(chainUrl).port), stateDir);
      cleanups.push(() => stopNode(node));
      process.once("exit", () => node.kill("SIGKILL"));
    }
    const provider = createProvider(chainUrl);
    const deployment = await deployTestNetwork(provider, new Wallet(DEV_OPERATOR_KEY).address);
    provider.destroy();
    const addressBook = join(stateDir, "addresses.json");
    await recordDeployment(deployment, addressBook);
    log(`deploy:   factory ${deployment.contracts.factory}`);

    const databaseUrl = `postgres://postgres@127.0.0.1:5432/recircle_chaos_${runId}`;
    const redisUrl = "redis://127.0.0.1:6379";
    const redisPrefix = `recircle-chaos-${runId}`;
    cleanups.push(() => deletePrefixKeys(redisUrl, redisPrefix));
    await ensureDatabase(databaseUrl);
    cleanups.push(() => dropDatabase(databaseUrl));
    const sql = createSql(databaseUrl, { max: 4 });
    cleanups.push(() => sql.end({ timeout: 5 }));
    await migrate(sql);
    await claimDatabaseFor(sql, deployment);
    const adminKey = generateApiKey();
    await upsertBootstrapAdmin(sql, hashApiKey(adminKey));
    log(`database: recircle_chaos_${runId} migrated; Redis prefix {${redisPrefix}}`);
    const env = {
      DATABASE_URL: databaseUrl,
      REDIS_URL: redisUrl,
      REDIS_PREFIX: redisPrefix,
      CHAIN_RPC_URL: chainUrl,
      ADDRESS_BOOK: addressBook,
      STATE_DIR: stateDir,
      HOST: "127.0.0.1",
    };
    return { runId, stateDir, chainUrl, deployment, addressBook, databaseUrl, redisUrl, redisPrefix, adminKey, sql, env, close };
  } catch (error) {
    await close({ keepLogs: true });
    throw error;
  }
}

/**
 * Deletes every key of `prefix` ({prefix}:…, the BullMQ queues) and nothing else: the Redis is shared with
 * other runs and deployments, so never FLUSHDB or FLUSHALL. Returns how many keys went. SCAN hands the keys
 * over `batch` at a time while the queue keeps running, so the chaos's flush (small batches) is a partial,
 * torn loss: harsher than an atomic FLUSHALL.
 */
export async function deletePrefixKeys(url: string, prefix: string, batch = 500): Promise<number> {
  const redis = new Redis(url);
  let deleted = 0;
  try {
    for await (const keys of redis.scanStream({ match: `{${prefix}}*`, count: batch })) {
      if ((keys as string[]).length > 0) deleted += await redis.del(...(keys as string[]));
    }
  } finally {
    await redis.quit();
  }
  return deleted;
}

function stopNode(child: ChildProcess): Promise<void> {
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
