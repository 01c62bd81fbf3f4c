/**
 * `npm start`: the whole local system in one command. Starts a Hardhat node when CHAIN_RPC_URL is unset,
 * deploys when the chain lacks the network, prepares the database, and runs the API, the operator's sender (workers/operator.ts: mints, and every other write of the
 * operator key) and the workers.
 * `npm start -- --reset` drops the database first (a new dev chain needs a new database).
 * `npm start -- --prepare-only` stops after that (chain deployed, database migrated and claimed, admin key
 * printed): the one-shot step before docker-compose.yml's one-process-per-entry services start. It builds
 * nothing (the image did; a deployment compiles what it needs), where `npm start` builds the contracts and the
 * web app once the configuration is known to be good.
 * `npm start -- --api N --workers M` runs N API processes on PORT, PORT+1, … and M payment and M redemption
 * workers, each with its own signer key (scripts/process-plan.ts).
 */
import "./load-env.js";
import type { ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { chmod, mkdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { buildApp } from "../services/api/app.js";
import { deploymentFor, isDeployedOn, readAddressBook } from "../services/chain/address-book.js";
import { createProvider, DEV_CHAIN_ID } from "../services/chain/network.js";
import { ConfigError, EMBEDDED_CHAIN_URL, loadConfig, type Config } from "../services/config.js";
import { generateApiKey, hashApiKey } from "../services/core/api-keys.js";
import { claimDatabaseFor } from "../services/db/deployment.js";
import { upsertBootstrapAdmin } from "../services/db/members.js";
import { dropDatabase, ensureDatabase, migrate } from "../services/db/migrate.js";
import { createSql } from "../services/db/sql.js";
import { createLogger, type Logger } from "../services/logger.js";
import { mineOnInterval, probeChain, runHardhatToEnd, startHardhatNode } from "./local-chain.js";
import { parseScale, planProcesses } from "./process-plan.js";
import { buildForStart } from "./start-build.js";
import { startWorker, stopAll } from "./worker-processes.js";

const EMBEDDED_PORT = 8545;
const children: ChildProcess[] = [];
let stopping = false;
let log: Logger;

function fail(message: string): never {
  console.error(`\nrecircle: ${message}\n`);
  for (const child of children) child.kill("SIGTERM");
  process.exit(1);
}

async function prepareChain(config: Config) {
  let url = config.chainRpcUrl ?? EMBEDDED_CHAIN_URL;
  if (!config.chainRpcUrl) {
    if ((await probeChain(url)) !== undefined) {
      log.info({ url }, "a chain node already answers; using it");
    } else {
      log.info({ url }, "starting a Hardhat node");
      children.push(await startHardhatNode(EMBEDDED_PORT, config.stateDir));
    }
  }
  // With CHAIN_RPC_URLS, the first endpoint that answers prepares the chain; the processes fail over themselves.
  let chainId: number | undefined;
  for (const candidate of config.chainRpcUrls.length > 0 ? config.chainRpcUrls : [url]) {
    chainId = await probeChain(candidate);
    if (chainId !== undefined) {
      url = candidate;
      break;
    }
  }
  if (chainId === undefined) fail(`no chain answers at ${config.chainRpcUrls.length > 1 ? "any of CHAIN_RPC_URLS" : url}`);
  // A dev node started elsewhere (docker-compose's chain) mines like the one npm start runs.
  if (chainId === DEV_CHAIN_ID && config.chainRpcUrl) await mineOnInterval(url);
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
    log.info("deploying the network with Hardhat Ignition");
    const network = config.chainRpcUrl ? "rpc" : "localhost";
    // Hardhat's `rpc` network reads CHAIN_RPC_URL: the endpoint that answered, whichever variable named it.
    await runHardhatToEnd(["run", "--network", network, "scripts/deploy.ts"], join(config.stateDir, "deploy.log"), config.chainRpcUrl ? { CHAIN_RPC_URL: url } : {});
  }
  return deploymentFor(config.addressBookPath, chainId);
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
  const scale = parseScale(process.argv);
  if (typeof scale === "string") fail(scale);
  let config: Config;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) fail(error.message);
    throw error;
  }
  log = createLogger(config, "start");
  if (!process.argv.includes("--prepare-only")) await buildForStart(log).catch((error: Error) => fail(error.message));
  await mkdir(config.stateDir, { recursive: true });
  const deployment = await prepareChain(config);
  const plan = planProcesses({
    ...scale,
    port: config.port,
    devChain: deployment.chainId === DEV_CHAIN_ID,
    operatorKey: config.operatorPrivateKey,
    metricsPort: config.metricsPort,
    // A single key variable still serves one worker; the list serves M.
    paymentKeys: config.paymentWorkerPrivateKeys.length > 0 ? config.paymentWorkerPrivateKeys : [config.paymentWorkerPrivateKey].filter((k) => k !== undefined),
    redemptionKeys:
      config.redemptionWorkerPrivateKeys.length > 0 ? config.redemptionWorkerPrivateKeys : [config.redemptionWorkerPrivateKey].filter((k) => k !== undefined),
  });
  if (typeof plan[0] === "string") fail(`cannot start these processes:\n  - ${plan.join("\n  - ")}`);
  const processes = plan as Exclude<typeof plan, string[]>;

  if (reset) {
    log.info("--reset: dropping the database");
    await dropDatabase(config.databaseUrl);
  }
  if (await ensureDatabase(config.databaseUrl)) log.info("database created");
  const sql = createSql(config.databaseUrl, { max: 2 });
  const applied = await migrate(sql);
  if (applied.length > 0) log.info({ migrations: applied }, "database migrated");
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
  if (process.argv.includes("--prepare-only")) {
    log.info({ chainId: deployment.chainId, factory: deployment.contracts.factory }, "prepared: chain deployed, database migrated");
    console.log(`admin key  ${key}`);
    await stopAll(children);
    return;
  }

  // Every API process shares the kept secrets, so a session or phone escrow made by one holds at the others.
  const secrets = { sessionSecret: await sessionSecret(config), phoneSalt: await phoneSalt(config) };
  const apiConfig = { ...config, ...secrets };
  const app = await buildApp({ config: apiConfig, logger: createLogger(apiConfig, "api-1") });
  await app.listen({ host: config.host, port: config.port });
  const onExit = (label: string, code: number | null, signal: string | null) => {
    if (!stopping) console.error(`recircle: ${label} stopped (${signal ?? code}); see its lines above`);
  };
  const workers = processes
    .filter((p) => p.name !== "api-1")
    .map((p) =>
      p.kind === "api"
        ? startWorker("api", onExit, {
            label: p.name,
            script: "services/api/main.ts",
            env: { ...p.env, LOG_NAME: p.name, SESSION_SECRET: secrets.sessionSecret, PHONE_SALT: secrets.phoneSalt },
          })
        : startWorker(p.kind, onExit, { label: p.name, env: { ...p.env, LOG_NAME: p.name } }),
    );
  const base = `http://${config.host}:${config.port}`;
  const apis = processes.filter((p) => p.kind === "api");
  const list = processes.map((p) => `    ${p.name.padEnd(14)}${p.port ? `:${p.port}  ` : "       "}${p.address ?? "(sends no transactions)"}` +
      (p.env.METRICS_PORT ? `  metrics :${p.env.METRICS_PORT}` : ""));
  console.log(`
recircle is running
  API        ${apis.map((p) => `http://${config.host}:${p.port}`).join(", ")}${apis.length > 1 ? "  (no load balancer: put a reverse proxy in front)" : ""}
  web app    ${base}/   (#/collector, #/point, #/retailer, #/sponsor)
  docs       ${base}/docs   (OpenAPI: ${base}/openapi.json)
  health     ${base}/health
  metrics    ${base}/metrics
  chain      ${config.chainRpcUrl ?? EMBEDDED_CHAIN_URL} (chain ${deployment.chainId}, factory ${deployment.contracts.factory})
  processes  (the operator process mints and sends every write of the operator key; API processes send none)
${list.join("\n")}
  admin key  ${key}
Ctrl-C stops everything.`);

  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, "stopping");
    await stopAll(workers);
    await app.close();
    await stopAll(children);
    process.exit(0);
  };
  process.on("SIGINT", () => void stop("SIGINT"));
  process.on("SIGTERM", () => void stop("SIGTERM"));
}

main().catch((error: unknown) => fail((error as Error).stack ?? String(error)));
