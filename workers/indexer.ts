/**
 * The chain indexer: copies the network's events into chain_events, CHAIN_CONFIRMATIONS blocks behind the
 * head, until SIGINT or SIGTERM. Run `npm run indexer`. It reads only, so it holds no key.
 */
import { deploymentFor } from "../services/chain/address-book.js";
import { ChainIndexer } from "../services/engines/indexer.js";
import { createFailoverProvider, rpcUrlsOf } from "../services/chain/network.js";
import { claimDatabaseFor } from "../services/db/deployment.js";
import { migrate } from "../services/db/migrate.js";
import { createSql } from "../services/db/sql.js";
import { createLogger, loadConfigOrExit } from "../services/logger.js";
import { closeOnSignal } from "../services/queue/shutdown.js";

const config = loadConfigOrExit("indexer");
const log = createLogger(config, "indexer");

// The deployment the address book records for whichever chain the RPC serves, as the API finds it.
const provider = createFailoverProvider(rpcUrlsOf(config), { log });
const chainId = Number((await provider.getNetwork()).chainId);
const deployment = await deploymentFor(config.addressBookPath, chainId).catch((error: Error) => {
  log.fatal(error.message);
  process.exit(1);
});

const sql = createSql(config.databaseUrl, { max: 2 });
await migrate(sql);
// Events of another deployment would mix with this one's in chain_events (a dev chain reuses addresses).
const other = await claimDatabaseFor(sql, deployment);
if (other) {
  log.fatal(`the database belongs to deployment ${other}; point DATABASE_URL at this deployment's database`);
  process.exit(1);
}

const indexer = new ChainIndexer(sql, { provider, deployment }, { confirmations: config.chainConfirmations, log });
indexer.start();
log.info({ chainId, startBlock: deployment.startBlock, confirmations: config.chainConfirmations }, "indexer started");

closeOnSignal(async () => {
  log.info("indexer stopping");
  await indexer.stop();
  provider.destroy();
  await sql.end({ timeout: 5 });
});
