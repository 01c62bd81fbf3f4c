/**
 * `npm test`'s runner: the files bound to the run's Hardhat node (unit, contracts, integration; one at a time,
 * as they share its operator key), then the files that start Anvil nodes of their own (network), as two vitest
 * processes. Each line is prefixed with its suite; the exit code is the first failure's, or 0.
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

// One after the other: side by side on two cores the suites made each other's timing tests flaky (a payout past
// its poll, a fee ceiling's quiet window), which failed CI runs whose tests all pass alone.
const suites = [await run("[hardhat]", ["unit", "contracts", "integration"]), await run("[network]", ["network"])];
for (const { label, code, tail } of suites) {
  if (code === 0) continue;
  console.log(`\n${label} failed (exit ${code}); the end of its output again:`);
  for (const line of tail) console.log(`${label} ${line}`);
}
process.exit(suites.find(({ code }) => code !== 0)?.code ?? 0);
