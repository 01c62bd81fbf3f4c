/**
 * npm run simulate [-- --collectors 20 --timeout 180 --seed N --demo STATE_DIR/demo.json --api URL]: one day
 * on the network `npm run seed` made, through the running API and workers (npm start): drop-offs, credits,
 * payments online and by voucher, a redemption. Prints progress and a summary; exits 1 if anything failed or
 * did not finish within --timeout seconds.
 */
import "./load-env.js";
import { parseArgs } from "node:util";
import { loadConfig } from "../services/config.js";
import { demoPath, readDemo } from "./seed/demo-file.js";
import { describeSummary, simulateDay } from "./simulate/run.js";

const { values } = parseArgs({
  options: {
    collectors: { type: "string", default: "20" },
    timeout: { type: "string", default: "180" },
    seed: { type: "string" },
    demo: { type: "string" },
    api: { type: "string" },
  },
});

async function main() {
  const collectors = Number(values.collectors);
  const timeout = Number(values.timeout);
  if (!Number.isInteger(collectors) || collectors < 1 || collectors > 1000) throw new Error("--collectors takes an integer from 1 to 1000");
  if (!Number.isFinite(timeout) || timeout <= 0) throw new Error("--timeout takes seconds");
  const seed = values.seed === undefined ? undefined : Number(values.seed);
  if (seed !== undefined && !Number.isInteger(seed)) throw new Error("--seed takes an integer");
  const demo = await readDemo(values.demo ?? demoPath(loadConfig().stateDir));
  const summary = await simulateDay({
    demo,
    collectors,
    timeoutMs: timeout * 1000,
    ...(values.api ? { api: values.api } : {}),
    ...(seed !== undefined ? { seed } : {}),
    log: (line) => console.log(line),
  });
  console.log(describeSummary(summary, demo.program.symbol, demo.stablecoin));
  process.exit(summary.ok ? 0 : 1);
}

main().catch((error: unknown) => {
  console.error(`\nsimulate failed: ${(error as Error).message}\n`);
  process.exit(1);
});
