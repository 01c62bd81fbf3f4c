/**
 * npm run seed [-- --api http://127.0.0.1:3000 --admin-key KEY --deposit 1000]: a demo network to try in the
 * web app, made through a running API (npm start): a recycling program, a collection point, a retailer and a
 * sponsor with fresh wallets, and on the dev chain a gasless deposit. Each run makes a new numbered set and
 * writes it, secrets included, to STATE_DIR/demo.json for `npm run simulate`.
 */
import "./load-env.js";
import { parseArgs } from "node:util";
import { loadConfig } from "../services/config.js";
import { resolveAdminKey } from "./seed/admin-key.js";
import { describeDemo, seedDemo } from "./seed/run.js";

const { values } = parseArgs({
  options: {
    api: { type: "string", default: "http://127.0.0.1:3000" },
    "admin-key": { type: "string" },
    deposit: { type: "string", default: "1000" },
    rpc: { type: "string" },
  },
});

async function main() {
  const config = loadConfig();
  const adminKey = await resolveAdminKey(values["admin-key"], config);
  const result = await seedDemo({
    api: values.api!,
    adminKey,
    stateDir: config.stateDir,
    deposit: values.deposit!,
    ...(values.rpc ? { rpcUrl: values.rpc } : {}),
    log: (line) => console.log(line),
  });
  console.log(describeDemo(result));
}

main().catch((error: unknown) => {
  console.error(`\nseed failed: ${(error as Error).message}\n`);
  process.exit(1);
});
