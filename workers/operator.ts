/**
 * The operator's sender: the one process that signs with OPERATOR_PRIVATE_KEY. It mints accepted events in
 * batches and carries out the transaction outbox (programs, grants, certificates, deposits, reversals) that
 * any API process records. A second copy waits as a hot standby on the key's lock and takes over when the
 * first one's database connection closes, crash included.
 */
import { openChain } from "../services/chain/network.js";
import { claimDatabaseFor } from "../services/db/deployment.js";
import { migrate } from "../services/db/migrate.js";
import { acquireSenderLock } from "../services/db/sender-lock.js";
import { createSql } from "../services/db/sql.js";
import { startOperator } from "../services/flows/operator.js";
import { createLogger, loadConfigOrExit } from "../services/logger.js";
import { closeOnSignal } from "../services/queue/shutdown.js";
import { serveSignerMetrics } from "../services/queue/signer-metrics.js";

const config = loadConfigOrExit("operator");
const log = createLogger(config, "operator");
const sql = createSql(config.databaseUrl, { max: 4 });
const chain = await openChain(config, undefined, undefined, log);
await migrate(sql);
// Minting into a database of another deployment would confirm its events against the wrong contracts.
const other = await claimDatabaseFor(sql, chain.deployment);
if (other) {
  log.fatal({ other }, "the database belongs to another deployment; point DATABASE_URL at this deployment's database");
  process.exit(1);
}
let stopping = false;
let stop: () => Promise<void> = async () => {};
closeOnSignal(async () => {
  stopping = true;
  await stop();
});

const lock = await acquireSenderLock(sql, chain.writer.address, {
  stopped: () => stopping,
  onWaiting: () => log.info({ signer: chain.writer.address }, "another operator sender holds this key; standing by"),
  onLost: (error) => {
    // Another copy may hold the key by now: sending on would race it for nonces.
    log.fatal({ err: error }, "lost the connection holding the sender lock; stopping");
    process.exit(1);
  },
});
if (lock) {
  const operator = await startOperator(sql, chain, {
    batchMax: config.batchMax,
    batchMs: config.batchMs,
    confirmations: config.chainConfirmations,
    idempotencyKeyTtlHours: config.idempotencyKeyTtlHours,
    log,
  });
  log.info({ signer: operator.address, chainId: chain.chainId }, "operator sender started");
  const metrics = await serveSignerMetrics(chain.writer, config.metricsPort);
  if (metrics) log.info({ url: `http://127.0.0.1:${metrics.port}/metrics` }, "operator sender metrics");
  stop = async () => {
    await metrics?.close();
    await operator.stop();
    await lock.release();
    chain.close();
    await sql.end({ timeout: 5 });
  };
}
