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

/** Lines a suite printed last: a failing suite's report is printed again at the end, where a CI log's tail shows it. */
const REPORT_LINES = 200;

function run(label: string, projects: string[]): Promise<{ label: string; code: number; tail: string[] }> {
  // A file filter given to `npm test -- <files>` may match files of one suite only: the other then has none.
  const args = [VITEST, "run", "--passWithNoTests", ...projects.flatMap((p) => ["--project", p]), ...extra];
  const child = spawn(process.execPath, args, {
    stdio: ["ignore", "pipe", "pipe"],
    env: { ...process.env, FORCE_COLOR: process.env.FORCE_COLOR ?? (process.stdout.isTTY ? "1" : "0") },
  });
  const tail: string[] = [];
  for (const stream of [child.stdout!, child.stderr!]) {
    createInterface({ input: stream }).on("line", (line) => {
      console.log(`${label} ${line}`);
      tail.push(line);
      if (tail.length > REPORT_LINES) tail.shift();
    });
  }
  return new Promise((resolve) => child.on("exit", (code, signal) => resolve({ label, code: code ?? (signal ? 1 : 0), tail })));
}

const suites = await Promise.all([run("[hardhat]", ["unit", "contracts", "integration"]), run("[network]", ["network"])]);
for (const { label, code, tail } of suites) {
  if (code === 0) continue;
  console.log(`\n${label} failed (exit ${code}); the end of its output again:`);
  for (const line of tail) console.log(`${label} ${line}`);
}
process.exit(suites.find(({ code }) => code !== 0)?.code ?? 0);
