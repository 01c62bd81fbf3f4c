/**
 * `npm run bench`: how fast recircle accepts drop-offs over HTTP and credits them on chain, and accepts and
 * settles collectors' signed payments, on this machine, loopback only; sweeps the mint batch size from 1 to 1,000
 * (bench/throughput.svg); pays from passkey accounts through the same path, for their gas next to a key's; runs
 * accept and settle again over 2 API and 2 payment worker processes; and redeems
 * retailers' tokens through POST /v1/redemptions and the redemption worker, next to one redeemWithPermit per
 * transaction. Starts its
 * own Hardhat node and database, prints a table, writes bench/results.json, and cleans up. The exit code is 0 when a target is missed (this is a report), 1 when a correctness check fails.
 */
import { cpus, loadavg } from "node:os";
import { parseArgs } from "node:util";
import { networkTable, runNetworkBench } from "./network.js";
import { measureSweep, type SweepFigures, sweepChecks, sweepRows, writeSweepChart, CHART_PATH } from "./batch-sweep.js";
import { type CreditFigures, measureCredit } from "./credit-rate.js";
import { type EdrLimitFigures, measureEdrLimit } from "./edr-limit.js";
import { createScene } from "./fixtures.js";
import { type AcceptFigures, measureAccept, startApi } from "./http-accept.js";
import { measurePasskeyPayments, type PasskeyFigures, passkeyRows } from "./passkey-rate.js";
import { measurePayments, type PaymentFigures } from "./payment-rate.js";
import { figureRows, printReport, RESULTS_PATH, type Row, writeResults } from "./report.js";
import { measureRedemptions, type RedemptionFigures, redemptionRows } from "./redemption-rate.js";
import { measureScale, type ScaleFigures, scaleRows } from "./scale-rate.js";
import { type Bench, startBench } from "./setup.js";
import { shareRows } from "./share-rows.js";
import { type Check, checkAndSetAsideAccepted, verifyFinal } from "./verify.js";

const SIZES = { points: 8, collectors: 400 };
/** The whole run takes 4½ to 5 minutes on two cores that other work shares; past this something hangs. */
const HARD_LIMIT_MS = 8 * 60_000;

const started = Date.now();
/** Other work may share the cores: the figures say under what load they were taken. */
const loadAtStart = loadavg();
const machine = `${cpus().length} cores, load average ${loadAtStart.map((l) => l.toFixed(2)).join(" / ")} (1 / 5 / 15 min) at start`;
const log = (line: string) => console.log(`[${((Date.now() - started) / 1000).toFixed(1).padStart(5)} s] ${line}`);

interface Run {
  accept: AcceptFigures;
  credit: CreditFigures;
  edrLimit: EdrLimitFigures;
  sweep: SweepFigures;
  payments: PaymentFigures;
  passkey: PasskeyFigures;
  scale: ScaleFigures;
  redemptions: RedemptionFigures;
  checks: Check[];
}

async function run(bench: Bench): Promise<Run> {
  const api = await startApi(bench);
  let accept: AcceptFigures;
  let scene;
  try {
    log(`api:      listening at ${api.url} (batcher off)`);
    scene = await createScene(api.url, bench.adminKey, SIZES);
    log(`scene:    program ${scene.programId}, ${scene.pointKeys.length} points, ${scene.collectors.length} collectors`);
    log("accept:   64 connections, 2 s warm-up then 10 s, then 5 s at 8 and at 256, against the API; then a hello-world Fastify");
    accept = await measureAccept(api, scene, bench.runId);
  } finally {
    await api.app.close();
  }
  log(`accept:   ${accept.api.requestsPerS.toFixed(0)} events/s (hello-world ${accept.hello.requestsPerS.toFixed(0)} req/s), RSS ${(accept.apiMemory.rss / 2 ** 20).toFixed(0)} MB`);
  const checks = await checkAndSetAsideAccepted(bench, accept);

  log("credit:   5,000 pending events through the MintBatcher, then 200 single mints");
  const credit = await measureCredit(bench, scene);
  log(`credit:   ${credit.eventsPerS.toFixed(0)} events/s batched, ${credit.naive.eventsPerS.toFixed(1)} events/s naive`);
  checks.push(...(await verifyFinal(bench, scene, credit)));

  log("edr:      the same mintBatch on Hardhat's in-process network, 20 batches of 300 to holders");
  const edrLimit = await measureEdrLimit();
  log(`edr:      ${edrLimit.eventsPerS.toFixed(0)} events/s in process; credited ${((100 * credit.eventsPerS) / edrLimit.eventsPerS).toFixed(0)} % of it`);

  log("sweep:    mint batch sizes 1 to 1,000, 25 batches' worth of events each (60 to 5,000), to repeat holders");
  const sweep = await measureSweep(bench, scene, credit.worstBatchGasPerEvent, log);
  checks.push(...sweepChecks(sweep));
  await writeSweepChart(sweep, `${new Date().toISOString().slice(0, 10)}, ${machine}`);

  log("pay:      5,000 signed payments through POST /v1/payments and the payment worker, then 200 naive");
  const payments = await measurePayments(bench, log);
  const { settle, naive } = payments.figures;
  log(`pay:      ${settle.paymentsPerS.toFixed(0)} payments/s batched, ${naive.paymentsPerS.toFixed(1)} payments/s naive`);
  checks.push(...payments.checks);

  log("passkey:  40 passkey accounts pay three times each through the same API and worker (the first creates the account)");
  const passkey = await measurePasskeyPayments(bench, log);
  checks.push(...passkey.checks);

  const scaled = await measureScale(bench, SIZES, log);
  checks.push(...scaled.checks);
  const { settle: settle2 } = scaled.figures;
  log(`scale:    ${settle2.paymentsPerS.toFixed(0)} payments/s settled by 2 workers (${settle.paymentsPerS.toFixed(0)} by 1)`);

  log("redeem:   250 permit-signed redemptions through POST /v1/redemptions and the redemption worker, then 50 naive");
  const redemptions = await measureRedemptions(bench, log);
  const { settle: redeemed, naive: naiveRedeemed } = redemptions.figures;
  log(`redeem:   ${redeemed.redemptionsPerS.toFixed(0)} redemptions/s batched, ${naiveRedeemed.redemptionsPerS.toFixed(1)} redemptions/s naive`);
  checks.push(...redemptions.checks);
  return { accept, credit, edrLimit, sweep, payments: payments.figures, passkey: passkey.figures, scale: scaled.figures, redemptions: redemptions.figures, checks };
}

async function main(): Promise<number> {
  const bench = await startBench(log);
  let correct = false;
  try {
    const { accept, credit, edrLimit, sweep, payments, passkey, scale, redemptions, checks } = await run(bench);
    const keyGas = payments.settle.gasLaterOfPrefix ?? payments.settle.gasPerPayment;
    const loadRow: Row = { figure: "machine (other work may share its cores)", value: machine, target: "", met: "" };
    const rows = [loadRow, ...figureRows(accept, credit, payments), ...shareRows(accept, credit, edrLimit), ...sweepRows(sweep), ...passkeyRows(passkey, keyGas), ...scaleRows(scale, accept.api, payments), ...redemptionRows(redemptions)];
    correct = checks.every((check) => check.ok);
    printReport(rows, checks);
    const [postgres] = await bench.sql<{ version: string; autovacuum: string; synchronousCommit: string }[]>`
      select current_setting('server_version') as version, current_setting('autovacuum') as autovacuum,
             current_setting('synchronous_commit') as "synchronousCommit"`;
    await writeResults(accept, credit, payments, rows, checks, {
      postgres,
      scene: SIZES,
      apiDatabasePoolSize: bench.config.databasePoolSize,
      elapsedS: (Date.now() - started) / 1000,
      loadAverageAtStart: loadAtStart,
      loadNote: `${machine}: other work may have shared the cores; every figure is this machine's under that load`,
      edrLimit,
      sweep,
      passkey,
      scale,
      redemptions,
    });
    console.log(`results:  ${RESULTS_PATH}, chart: ${CHART_PATH}`);
  } catch (error) {
    console.error(`\nbench failed: ${(error as Error).stack ?? String(error)}`);
    await writeResults(undefined, undefined, undefined, [], [{ check: "run completed", ok: false, detail: String(error) }], {
      loadAverageAtStart: loadAtStart,
    });
    return 1;
  } finally {
    await bench.close({ keepLogs: !correct });
    log("cleaned up: database dropped, Redis keys deleted, node and servers stopped");
  }
  if (!correct) console.error("\nbench: a correctness check failed (see the table above)");
  return correct ? 0 : 1;
}

const watchdog = setTimeout(() => {
  console.error(`bench: still running after ${HARD_LIMIT_MS / 60_000} min; giving up`);
  process.exit(2);
}, HARD_LIMIT_MS);
watchdog.unref();

/** `--chain anvil`: the network comparison (harness/bench/network.ts) instead of the full run. */
async function network(): Promise<number> {
  log(`network:  the same load on Hardhat (automine) and on Anvil (a block every 2 s); ${machine}`);
  const figures = await runNetworkBench(["hardhat", "anvil"], log);
  console.log(`\n${networkTable(figures)}\n`);
  return 0;
}

const { values: args } = parseArgs({ options: { chain: { type: "string" } } });
if (args.chain !== undefined && args.chain !== "anvil" && args.chain !== "hardhat") {
  console.error(`bench: --chain must be anvil or hardhat (got "${args.chain}")`);
  process.exit(2);
}

(args.chain === "anvil" ? network() : main()).then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(`\nbench failed: ${(error as Error).stack ?? String(error)}`);
    process.exit(1);
  },
);
