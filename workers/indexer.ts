/**
 * The chain indexer: copies the network's events into chain_events, CHAIN_CONFIRMATIONS blocks behind the
 * head, until SIGINT or SIGTERM. Run `npm run indexer`. It reads only, so it holds no key.
 */
import { readAddressBook } from "../services/chain/address-book.js";
import { ChainIndexer } from "../services/engines/indexer.js";
import { createProvider } from "../services/chain/network.js";
import { ConfigError, EMBEDDED_CHAIN_URL, loadConfig, type Config } from "../services/config.js";
import { claimDatabaseFor } from "../services/db/deployment.js";
import { migrate } from "../services/db/migrate.js";
import { createSql } from "../services/db/sql.js";

let config: Config;
try {
  config = loadConfig();
} catch (error) {
  if (error instanceof ConfigError) {
    console.error(error.message);
    process.exit(1);
  }
  throw error;
}

// JSON lines at LOG_LEVEL and above, like the API's (pino) logs.
const LEVELS = ["fatal", "error", "warn", "info", "debug", "trace"];
const errorFields = (_key: string, value: unknown) =>
  value instanceof Error ? { message: value.message, stack: value.stack } : value;
const line = (level: string) => (fields: object, message?: string) => {
  if (LEVELS.indexOf(level) > LEVELS.indexOf(config.logLevel)) return;
  console.log(JSON.stringify({ level, time: new Date().toISOString(), msg: message, ...fields }, errorFields));
};
const log = { info: line("info"), warn: line("warn"), error: line("error") };

// The deployment the address book records for whichever chain the RPC serves, as the API finds it.
const provider = createProvider(config.chainRpcUrl ?? EMBEDDED_CHAIN_URL);
const chainId = Number((await provider.getNetwork()).chainId);
const deployment = (await readAddressBook(config.addressBookPath))[String(chainId)];
if (!deployment) {
  console.error(`${config.addressBookPath} has no deployment for chain ${chainId}: deploy first (npm run deploy)`);
  process.exit(1);
}

const sql = createSql(config.databaseUrl, { max: 2 });
await migrate(sql);
// Events of another deployment would mix with this one's in chain_events (a dev chain reuses addresses).
const other = await claimDatabaseFor(sql, deployment);
if (other) {
  console.error(`the database belongs to deployment ${other}; point DATABASE_URL at this deployment's database`);
  process.exit(1);
}

const indexer = new ChainIndexer(sql, { provider, deployment }, { confirmations: config.chainConfirmations, log });
indexer.start();
log.info({ chainId, startBlock: deployment.startBlock, confirmations: config.chainConfirmations }, "indexer started");

let stopping = false;
async function stop(signal: string) {
  if (stopping) return;
  stopping = true;
  log.info({ signal }, "indexer stopping");
  await indexer.stop();
  provider.destroy();
  await sql.end({ timeout: 5 });
  process.exit(0);
}
process.on("SIGINT", () => void stop("SIGINT"));
process.on("SIGTERM", () => void stop("SIGTERM"));
