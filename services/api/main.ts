/**
 * The API process: builds the app from the config, listens on HOST:PORT and closes on SIGTERM or SIGINT.
 * It runs the mint batcher unless MINT_BATCHER=off: `npm start -- --api N` turns it off in API processes
 * 2..N, which sign with role-less keys of their own and only accept and serve (scripts/process-plan.ts).
 *   node --import tsx services/api/main.ts
 */
import { closeOnSignal } from "../queue/shutdown.js";
import { createLogger, loadConfigOrExit } from "../logger.js";
import { buildApp } from "./app.js";

const config = loadConfigOrExit("api");
const log = createLogger(config, "api");
const app = await buildApp({ config, runBatcher: config.mintBatcher, logger: log });
await app.listen({ host: config.host, port: config.port });
log.info({ signer: app.chain.writer.address, mintBatcher: config.mintBatcher }, "API ready");
closeOnSignal(() => app.close());
