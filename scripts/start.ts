/**
 * `npm start`: the whole local system in one command. Starts a Hardhat node when CHAIN_RPC_URL is unset,
 * deploys when the chain lacks the network, prepares the database, and runs the API with its mint batcher.
 * `npm start -- --reset` drops the database first (a new dev chain needs a new database).
 */
import type { ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { chmod, mkdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { startServer } from "../services/api/server.js";
import { isDeployedOn, readAddressBook } from "../services/chain/address-book.js";
import { createProvider, DEV_CHAIN_ID } from "../services/chain/network.js";
import { ConfigError, EMBEDDED_CHAIN_URL, loadConfig, type Config } from "../services/config.js";
import { generateApiKey, hashApiKey } from "../services/core/api-keys.js";
import { claimDatabaseFor } from "../services/db/deployment.js";
import { upsertBootstrapAdmin } from "../services/db/members.js";
import { dropDatabase, ensureDatabase, migrate } from "../services/db/migrate.js";
import { createSql } from "../services/db/sql.js";
import { probeChain, runHardhatToEnd, startHardhatNode } from "./local-chain.js";
import { startWorker, stopAll, WORKERS } from "./worker-processes.js";

const EMBEDDED_PORT = 8545;
const children: ChildProcess[] = [];
let stopping = false;

function fail(message: string): never {
  console.error(`\nrecircle: ${message}\n`);
  for (const child of children) child.kill("SIGTERM");
  process.exit(1);
}

async function prepareChain(config: Config) {
  const url = config.chainRpcUrl ?? EMBEDDED_CHAIN_URL;
  if (!config.chainRpcUrl) {
    if ((await probeChain(url)) !== undefined) {
      console.log(`chain:    a node already answers at ${url}; using it`);
    } else {
      console.log(`chain:    starting a Hardhat node at ${url}`);
      children.push(await startHardhatNode(EMBEDDED_PORT, config.stateDir));
    }
  }
  const chainId = await probeChain(url);
  if (chainId === undefined) fail(`no chain answers at ${url}`);
  const provider = createProvider(url);
  const recorded = (await readAddressBook(config.addressBookPath))[String(chainId)];
  const deployed = recorded && (await isDeployedOn(recorded, (address) => provider.getCode(address)));
  provider.destroy();
  if (!deployed) {
    // A development chain is deployed to on the spot; a real one only on purpose, with its own key.
    if (chainId !== DEV_CHAIN_ID) {
      fail(`chain ${chainId} has no recircle deployment in ${config.addressBookPath}: deploy with ` +
        "`npx hardhat run --network <name> scripts/deploy.ts` first");
    }
    console.log("deploy:   deploying the network with Hardhat Ignition");
    const network = config.chainRpcUrl ? "rpc" : "localhost";
    await runHardhatToEnd(["run", "--network", network, "scripts/deploy.ts"], join(config.stateDir, "deploy.log"));
  }
  const deployment = (await readAddressBook(config.addressBookPath))[String(chainId)];
  if (!deployment) fail(`the deployment did not record itself in ${config.addressBookPath}`);
  return deployment;
}

/** The value `file` in the state directory holds, or `generate()`'s, written there (owner-only) at first start. */
async function keptSecret(config: Config, file: string, generate: () => string): Promise<string> {
  const path = join(config.stateDir, file);
  try {
    return (await readFile(path, "utf8")).trim();
  } catch {
    const secret = generate();
    await writeFile(path, `${secret}\n`, { mode: 0o600 });
    await chmod(path, 0o600);
    return secret;
  }
}

const adminKey = async (config: Config) => config.adminApiKey ?? keptSecret(config, "admin-api-key", generateApiKey);

// Kept across restarts, so collectors' sessions outlive a restart of the API.
const sessionSecret = async (config: Config) =>
  config.sessionSecret ?? keptSecret(config, "session-secret", () => randomBytes(32).toString("base64url"));

// Kept across restarts: a new salt would orphan every phone collector's escrowed credits.
const phoneSalt = async (config: Config) =>
  config.phoneSalt ?? keptSecret(config, "phone-salt", () => randomBytes(32).toString("base64url"));

async function main() {
  const reset = process.argv.includes("--reset");
  let config: Config;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) fail(error.message);
    throw error;
  }
  await mkdir(config.stateDir, { recursive: true });
  const deployment = await prepareChain(config);

  if (reset) {
    console.log("database: --reset: dropping it");
    await dropDatabase(config.databaseUrl);
  }
  if (await ensureDatabase(config.databaseUrl)) console.log("database: created");
  const sql = createSql(config.databaseUrl, { max: 2 });
  const applied = await migrate(sql);
  if (applied.length > 0) console.log(`database: applied ${applied.join(", ")}`);
  const other = await claimDatabaseFor(sql, deployment);
  if (other) {
    await sql.end();
    fail(
      `the database belongs to another deployment (${other}), not to the one on chain ${deployment.chainId} ` +
        `(factory ${deployment.contracts.factory}, deployed ${deployment.deployedAt}).\n` +
        "A restarted Hardhat node is a new, empty chain. Start both afresh with: npm start -- --reset",
    );
  }
  const key = await adminKey(config);
  await upsertBootstrapAdmin(sql, hashApiKey(key));
  await sql.end();

  const app = await startServer({
    ...config,
    sessionSecret: await sessionSecret(config),
    phoneSalt: await phoneSalt(config),
  });
  const workers = WORKERS.map((name) =>
    startWorker(name, (worker, code, signal) => {
      if (!stopping) console.error(`recircle: the ${worker} worker stopped (${signal ?? code}); see its lines above`);
    }),
  );
  const base = `http://${config.host}:${config.port}`;
  console.log(`
recircle is running
  API        ${base}
  docs       ${base}/docs   (OpenAPI: ${base}/openapi.json)
  health     ${base}/health
  metrics    ${base}/metrics
  chain      ${config.chainRpcUrl ?? EMBEDDED_CHAIN_URL} (chain ${deployment.chainId}, factory ${deployment.contracts.factory})
  workers    ${WORKERS.join(", ")}
  admin key  ${key}
Ctrl-C stops everything.`);

  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`\n${signal}: stopping`);
    await stopAll(workers);
    await app.close();
    await stopAll(children);
    process.exit(0);
  };
  process.on("SIGINT", () => void stop("SIGINT"));
  process.on("SIGTERM", () => void stop("SIGTERM"));
}

main().catch((error: unknown) => fail((error as Error).stack ?? String(error)));
