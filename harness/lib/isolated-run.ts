/**
 * A run that owns everything it touches, for the tools that start their own world (bench, fuzz, chaos): a
 * Hardhat node (or, with `node: "anvil"`, an Anvil node mining every 2 s like a network) on a free loopback port
 * (or a given node's URL), a fresh network deployed on it, the database
 * recircle_<kind>_<id>, the Redis prefix {recircle-<kind>-<id>} and an admin key. `close` undoes it all in
 * reverse, also after a failure, and deletes only the run's own Redis keys: the server is shared.
 */
import type { ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { createServer } from "node:net";
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
import { deployTestNetwork } from "../../scripts/dev-network.js";
import { startHardhatNode } from "../../scripts/local-chain.js";
import { startAnvil, stopAnvil } from "./anvil.js";

/** The node a run starts for itself: Hardhat (automine and a block every second) or Anvil (a block every 2 s). */
export type NodeKind = "hardhat" | "anvil";

export interface IsolatedRun {
  runId: string;
  stateDir: string;
  chainUrl: string;
  deployment: NetworkDeployment;
  addressBook: string;
  databaseUrl: string;
  redisUrl: string;
  redisPrefix: string;
  adminKey: string;
  /** The run's own pool (the processes it starts open theirs). */
  sql: Sql;
  /** Adds an undo step; `close` runs them last added first. */
  onClose(cleanup: () => Promise<unknown> | unknown): void;
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

export async function startIsolatedRun(
  kind: "bench" | "chaos",
  log: (line: string) => void,
  options: { chainUrl?: string; poolSize?: number; node?: NodeKind } = {},
): Promise<IsolatedRun> {
  const runId = randomBytes(4).toString("hex");
  const stateDir = await mkdtemp(join(tmpdir(), `recircle-${kind}-`));
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
      const port = await freePort();
      chainUrl = `http://127.0.0.1:${port}`;
      if (options.node === "anvil") {
        log(`chain:    starting an Anvil node at ${chainUrl} (a block every 2 s)`);
        const anvil = await startAnvil({ port, stateDir });
        cleanups.push(() => stopAnvil(anvil));
        process.once("exit", () => anvil.process.kill("SIGKILL"));
        chainUrl = anvil.url;
      } else {
        log(`chain:    starting a Hardhat node at ${chainUrl}`);
        const node: ChildProcess = await startHardhatNode(port, stateDir);
        cleanups.push(() => stopProcess(node));
        // Whatever ends this process (a crash included), the node goes with it.
        process.once("exit", () => node.kill("SIGKILL"));
      }
    }
    const provider = createProvider(chainUrl);
    const deployment = await deployTestNetwork(provider, new Wallet(DEV_OPERATOR_KEY).address);
    provider.destroy();
    const addressBook = join(stateDir, "addresses.json");
    await recordDeployment(deployment, addressBook);
    log(`deploy:   factory ${deployment.contracts.factory}`);

    const databaseUrl = `postgres://postgres@127.0.0.1:5432/recircle_${kind}_${runId}`;
    const redisUrl = "redis://127.0.0.1:6379";
    const redisPrefix = `recircle-${kind}-${runId}`;
    // Runs after everything else closed: the queues' keys and anything else under the prefix.
    cleanups.push(() => deletePrefixKeys(redisUrl, redisPrefix));
    await ensureDatabase(databaseUrl);
    cleanups.push(() => dropDatabase(databaseUrl));
    const sql = createSql(databaseUrl, { max: options.poolSize ?? 4 });
    cleanups.push(() => sql.end({ timeout: 5 }));
    await migrate(sql);
    await claimDatabaseFor(sql, deployment);
    const adminKey = generateApiKey();
    await upsertBootstrapAdmin(sql, hashApiKey(adminKey));
    log(`database: recircle_${kind}_${runId} migrated; Redis prefix {${redisPrefix}}`);
    return {
      runId, stateDir, chainUrl, deployment, addressBook, databaseUrl, redisUrl, redisPrefix, adminKey, sql,
      onClose: (cleanup) => cleanups.push(cleanup),
      close,
    };
  } catch (error) {
    await close({ keepLogs: true });
    throw error;
  }
}

/**
 * Deletes every key of `prefix` ({prefix}:…, the BullMQ queues) and nothing else: the Redis is shared with
 * other runs and deployments, so never FLUSHDB or FLUSHALL. Returns how many keys went. SCAN hands the keys
 * over `batch` at a time while the queues keep running, so a small batch makes a partial, torn loss (what
 * the chaos's flush wants: harsher than an atomic FLUSHALL).
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

/** SIGTERM, then SIGKILL after 5 s; resolves once the child has exited. */
export function stopProcess(child: ChildProcess): Promise<void> {
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
