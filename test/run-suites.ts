/**
 * `npm test`'s runner: the files bound to the run's Hardhat node (unit, contracts, integration; one at a time,
 * as they share its operator key) and the files that start Anvil nodes of their own (network) run as two
 * vitest processes side by side. The network files mostly wait for 2 s blocks, so beside the others they cost
 * the run little time; inside one vitest they would queue behind every Hardhat file. Each line is prefixed
 * with its suite; the exit code is the first failure's, or 0.
 */
import { spawn } from "node:child_process";
import { createInterface } from "node:readline";

const VITEST = new URL("../node_modules/vitest/vitest.mjs", import.meta.url).pathname;
const extra = process.argv.slice(2);

function run(label: string, projects: string[]): Promise<number> {
  // A file filter given to `npm test -- <files>` may match files of one suite only: the other then has none.
  const args = [VITEST, "run", "--passWithNoTests", ...projects.flatMap((p) => ["--project", p]), ...extra];
  const child = spawn(process.execPath, args, {
    stdio: ["ignore", "pipe", "pipe"],
    env: { ...process.env, FORCE_COLOR: process.env.FORCE_COLOR ?? (process.stdout.isTTY ? "1" : "0") },
  });
  for (const stream of [child.stdout!, child.stderr!]) {
    createInterface({ input: stream }).on("line", (line) => console.log(`${label} ${line}`));
  }
  return new Promise((resolve) => child.on("exit", (code, signal) => resolve(code ?? (signal ? 1 : 0))));
}

const codes = await Promise.all([run("[hardhat]", ["unit", "contracts", "integration"]), run("[network]", ["network"])]);
process.exit(codes.find((code) => code !== 0) ?? 0);
