/**
 * The API process: builds the app from the config, listens on HOST:PORT and closes on SIGTERM or SIGINT.
 * It sends no transactions: the chain writes it records are carried out by the operator process
 * (workers/operator.ts), so any number of API processes may run side by side (scripts/process-plan.ts).
 *   node --import tsx services/api/main.ts
 */
import { closeOnSignal } from "../queue/shutdown.js";
import { createLogger, loadConfigOrExit } from "../logger.js";
import { buildApp } from "./app.js";

const config = loadConfigOrExit("api");
const log = createLogger(config, "api");
const app = await buildApp({ config, logger: log });
await app.listen({ host: config.host, port: config.port });
log.info({ chainId: app.chain.chainId }, "API ready");
closeOnSignal(() => app.close());
