/**
 * A further API process of `npm start -- --api N` (the first runs inside `npm start`): it listens on the
 * PORT it is given and signs with the OPERATOR_PRIVATE_KEY it is given, its own, never the operator's. It
 * runs no mint batcher: API process 1's batcher claims the events this one accepts from the database.
 */
import { startServer } from "../services/api/server.js";
import { loadConfig } from "../services/config.js";
import { closeOnSignal } from "../services/queue/shutdown.js";

const config = loadConfig();
const app = await startServer(config, { runBatcher: false });
console.log(`API on http://${config.host}:${config.port} signing as ${app.chain.writer.address}, no mint batcher`);
closeOnSignal(() => app.close());
