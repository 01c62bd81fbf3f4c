import { randomBytes } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Wallet } from "ethers";
import { inject } from "vitest";
import { deletePrefixKeys } from "../../harness/lib/isolated-run.js";
import { type Api, buildApp } from "../../services/api/app.js";
import { recordDeployment, type NetworkDeployment } from "../../services/chain/address-book.js";
import { type Chain, connectChain, createProvider, DEV_OPERATOR_KEY, rpcUrlsOf } from "../../services/chain/network.js";
import { loadConfig, type Config } from "../../services/config.js";
import { generateApiKey, hashApiKey } from "../../services/core/api-keys.js";
import { claimDatabaseFor } from "../../services/db/deployment.js";
import { upsertBootstrapAdmin } from "../../services/db/members.js";
import { dropDatabase, ensureDatabase, migrate } from "../../services/db/migrate.js";
import { createSql, type Sql } from "../../services/db/sql.js";
import { deployTestNetwork } from "./deploy.js";

export interface Stack {
  app: Api;
  config: Config;
  /** The test's own connection to the test database, for assertions. */
  sql: Sql;
  chain: Chain;
  deployment: NetworkDeployment;
  adminKey: string;
  close(): Promise<void>;
}

/**
 * The service as it runs, against the real PostgreSQL, Redis and the run's Hardhat node (or `chainUrl`'s): a fresh network
 * deployed for this test file, its own database, its own Redis key prefix and a bootstrap admin key.
 */
export async function startStack(
  options: {
    /** False: pending events stay pending (the test stages or runs its own batcher); the outbox is still carried out. */
    runBatcher?: boolean;
    /** False: no operator sender at all in the test's process (the test runs workers/operator.ts, or crashes one). */
    runOperator?: boolean;
    env?: Record<string, string>;
    /** Another node than the run's Hardhat node (a test's own Anvil). */
    chainUrl?: string;
    /** The configuration a user gets: only the chain, keys, address book and secrets set (no shortened batch wait). */
    userDefaults?: boolean;
  } = {},
): Promise<Stack> {
  const chainUrl = options.chainUrl ?? inject("chainUrl");
  const runId = `${process.pid}_${randomBytes(4).toString("hex")}`;
  const folder = await mkdtemp(join(tmpdir(), "recircle-stack-"));
  const provider = createProvider(chainUrl);
  const operator = new Wallet(DEV_OPERATOR_KEY).address;
  const deployment = await deployTestNetwork(provider, operator);
  provider.destroy();
  const addressBook = join(folder, "addresses.json");
  await recordDeployment(deployment, addressBook);

  const config = loadConfig({
    DATABASE_URL: `postgres://postgres@127.0.0.1:5432/recircle_test_${runId}`,
    REDIS_PREFIX: `recircle-test-${runId}`,
    // A test naming its own endpoints (CHAIN_RPC_URLS: proxies in front of the run's node) replaces the one URL.
    ...(options.env?.CHAIN_RPC_URLS ? {} : { CHAIN_RPC_URL: chainUrl }),
    OPERATOR_PRIVATE_KEY: DEV_OPERATOR_KEY,
    ADDRESS_BOOK: addressBook,
    STATE_DIR: folder,
    LOG_LEVEL: "silent",
    ...(options.userDefaults ? {} : { BATCH_MS: "50" }),
    SESSION_SECRET: randomBytes(32).toString("base64url"),
    PHONE_SALT: randomBytes(32).toString("base64url"),
    ...options.env,
  });
  await ensureDatabase(config.databaseUrl);
  const sql = createSql(config.databaseUrl, { max: 4 });
  await migrate(sql);
  await claimDatabaseFor(sql, deployment);
  const adminKey = generateApiKey();
  await upsertBootstrapAdmin(sql, hashApiKey(adminKey));

  const chain = await connectChain(rpcUrlsOf(config), deployment, DEV_OPERATOR_KEY, undefined, { logRange: config.chainLogRange });
  const inProcessOperator = options.runOperator === false ? {} : { inProcessOperator: { mint: options.runBatcher ?? true } };
  const app = await buildApp({ config, chain, ...inProcessOperator, logger: false });
  await app.ready();
  return {
    app,
    config,
    sql,
    chain,
    deployment,
    adminKey,
    async close() {
      await app.close();
      chain.close();
      await sql.end({ timeout: 5 });
      await dropDatabase(config.databaseUrl);
      await deletePrefixKeys(config.redisUrl, config.redisPrefix);
      await rm(folder, { recursive: true, force: true });
    },
  };
}
