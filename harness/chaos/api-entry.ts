/**
 * The API under chaos: API process 1 as `npm start` runs it, with the mint batcher inside, listening on the
 * PORT it is given. Killed with SIGKILL and started again by scripts/chaos.ts; the line it prints says it is up.
 */
import { startServer } from "../../services/api/server.js";
import { loadConfig } from "../../services/config.js";
import { closeOnSignal } from "../../services/queue/shutdown.js";

const config = loadConfig();
const app = await startServer(config);
console.log(`chaos API on http://${config.host}:${config.port} with the mint batcher, signing as ${app.chain.writer.address}`);
closeOnSignal(() => app.close());
