/**
 * npm run chaos [-- --duration <s> --seed N --chain anvil]: bounded and loopback only. While drop-offs
 * and signed payments are sent to two API processes, a payment worker is killed with SIGKILL every few
 * seconds and started again (the operator's sender among them: it mints for both APIs); every third time it
 * is an API instead (every other round of API restarts is an orderly SIGTERM), and the run's own Redis keys are deleted once. Then it
 * drains and audits from the chain: every accepted event credited exactly once, the sums, every accepted
 * payment settled once or failed with a reason. Prints the counts; exits 1 on any loss or duplicate.
 *
 * With `--chain anvil` (up to 3 minutes of load) the run owns an Anvil node that behaves like a network, reached
 * through two fault-injecting RPC proxies, and adds the chain's own faults (harness/chaos/chain-faults.ts):
 * reorganisations within and beyond the confirmations, a dropped mint, a 50× base-fee spike, an RPC outage and
 * a node restart from its state file. The audit then also holds every row's status to the chain's.
 */
import { parseArgs } from "node:util";
import type { ChainFaultCounts } from "./chain-faults.js";
import { type ChaosReport, runChaos } from "./run.js";

const { values } = parseArgs({
  options: {
    duration: { type: "string", default: "90" },
    seed: { type: "string", default: String(Date.now() % 1_000_000) },
    chain: { type: "string", default: "hardhat" },
  },
});
const durationS = Number(values.duration);
const seed = Number(values.seed);
const chain = values.chain;
if (chain !== "hardhat" && chain !== "anvil") throw new Error("--chain takes hardhat (the default) or anvil");
// On Anvil the chain's faults need room: a minute of base-fee spike among them.
const maxS = chain === "anvil" ? 180 : 120;
if (!Number.isInteger(seed) || !Number.isFinite(durationS) || durationS < 10 || durationS > maxS) {
  throw new Error(`--duration takes 10 to ${maxS} seconds with --chain ${chain}, --seed an integer`);
}

function format(report: ChaosReport): string {
  const { events, payments, sums } = report.audit;
  const f = report.faults;
  return [
    "",
    `chaos (seed ${report.seed}, ${report.durationS} s of load, ${(report.elapsedMs / 1000).toFixed(1)} s in all)`,
    ...f.timeline.map((line) => `  ${line}`),
    `  events     accepted ${events.accepted}, credited ${events.credited}, duplicates ${events.duplicates}, lost ${events.lost}`,
    `  tokens     accepted ${sums.accepted}, credited on chain ${sums.credited}, total supply ${sums.supply}`,
    `  payments   accepted ${payments.accepted}, settled ${payments.settled}, failed ${payments.failed}` +
      `${payments.failed > 0 ? ` (${Object.entries(payments.reasons).map(([r, n]) => `${r} ${n}`).join(", ")})` : ""}, duplicates ${payments.duplicates}, lost ${payments.lost}` +
      ` (${report.shortLived} of them signed valid for seconds only)`,
    `  faults     kills survived ${f.killsSurvived} (workers ${f.workerKills}, API ${f.apiKills}), API restarts ${f.apiRestarts} (SIGKILL or SIGTERM), ` +
      `Redis flushes ${f.redisFlushes} (${f.flushedKeys} keys of this run's own prefix; never FLUSHALL)`,
    ...(report.chainFaults ? chainLines(report.chainFaults) : []),
    `  requests   ${report.retried} retried with the same key or signature after a lost answer`,
    `  drain      ${report.drain.drained ? "done" : `NOT done (${report.drain.open.events} events, ${report.drain.open.payments} payments open)`} in ${(report.drain.ms / 1000).toFixed(1)} s`,
    ...report.audit.problems.map((p) => `  PROBLEM    ${p}`),
    ...report.refused.slice(0, 5).map((r) => `  REFUSED    ${r}`),
    ...report.unexpectedExits.map((e) => `  EXITED     ${e}`),
    report.ok ? "chaos: OK, nothing lost, nothing doubled" : "chaos: FAILED",
  ].join("\n");
}

function chainLines(c: ChainFaultCounts): string[] {
  return [
    ...c.timeline.map((line) => `  ${line}`),
    `  chain      reorgs ${c.shallowReorg} within the confirmations and ${c.deepReorg} deeper, dropped mints ${c.droppedMint}, ` +
      `base-fee spikes ${c.feeSpike}, RPC outages ${c.rpcOutage}, node restarts ${c.nodeRestart}`,
    `  rpc        ${c.rpc.requests} calls through the proxies: 429 ${c.rpc.status429}, 5xx ${c.rpc.status5xx}, resets ${c.rpc.reset}, ` +
      `lost answers ${c.rpc.lostAnswer}, held ${c.rpc.timeout}, delayed ${c.rpc.delayed}, refused in outages ${c.rpc.refused}`,
  ];
}

const report = await runChaos({ durationS, seed, chain, budgetS: chain === "anvil" ? durationS + 240 : 175, log: (line) => console.log(line) });
console.log(format(report));
process.exit(report.ok ? 0 : 1);
