/**
 * `npm run bench`: how fast recircle accepts drop-offs over HTTP and credits them on chain, and accepts and
 * settles collectors' signed payments, on this machine, loopback only. Starts its own Hardhat node and database, prints a table, writes bench/results.json, and
 * cleans up. The exit code is 0 when a target is missed (this is a report), 1 when a correctness check fails.
 */
import { type CreditFigures, measureCredit } from "./credit-rate.js";
import { createScene } from "./fixtures.js";
import { type AcceptFigures, measureAccept, startApi } from "./http-accept.js";
import { measurePayments, type PaymentFigures } from "./payment-rate.js";
import { figureRows, printReport, RESULTS_PATH, writeResults } from "./report.js";
import { type Bench, startBench } from "./setup.js";
import { type Check, checkAndSetAsideAccepted, verifyFinal } from "./verify.js";

const SIZES = { points: 8, collectors: 400 };
/** The whole run takes about a minute and a half; past this something hangs. */
const HARD_LIMIT_MS = 5 * 60_000;

const started = Date.now();
const log = (line: string) => console.log(`[${((Date.now() - started) / 1000).toFixed(1).padStart(5)} s] ${line}`);

async function run(bench: Bench): Promise<{ accept: AcceptFigures; credit: CreditFigures; payments: PaymentFigures; checks: Check[] }> {
  const api = await startApi(bench);
  let accept: AcceptFigures;
  let scene;
  try {
    log(`api:      listening at ${api.url} (batcher off)`);
    scene = await createScene(api.url, bench.adminKey, SIZES);
    log(`scene:    program ${scene.programId}, ${scene.pointKeys.length} points, ${scene.collectors.length} collectors`);
    log("accept:   64 connections, 2 s warm-up then 10 s, against the API and then a hello-world Fastify");
    accept = await measureAccept(api, scene, bench.runId);
  } finally {
    await api.app.close();
  }
  log(`accept:   ${accept.api.requestsPerS.toFixed(0)} events/s (hello-world ${accept.hello.requestsPerS.toFixed(0)} req/s)`);
  const checks = await checkAndSetAsideAccepted(bench, accept);

  log("credit:   5,000 pending events through the MintBatcher, then 200 single mints");
  const credit = await measureCredit(bench, scene);
  log(`credit:   ${credit.eventsPerS.toFixed(0)} events/s batched, ${credit.naive.eventsPerS.toFixed(1)} events/s naive`);
  checks.push(...(await verifyFinal(bench, scene, credit)));

  log("pay:      5,000 signed payments through POST /v1/payments and the payment worker, then 200 naive");
  const payments = await measurePayments(bench, log);
  const { settle, naive } = payments.figures;
  log(`pay:      ${settle.paymentsPerS.toFixed(0)} payments/s batched, ${naive.paymentsPerS.toFixed(1)} payments/s naive`);
  checks.push(...payments.checks);
  return { accept, credit, payments: payments.figures, checks };
}

async function main(): Promise<number> {
  const bench = await startBench(log);
  let correct = false;
  try {
    const { accept, credit, payments, checks } = await run(bench);
    const rows = figureRows(accept, credit, payments);
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
    });
    console.log(`results:  ${RESULTS_PATH}`);
  } catch (error) {
    console.error(`\nbench failed: ${(error as Error).stack ?? String(error)}`);
    await writeResults(undefined, undefined, undefined, [], [{ check: "run completed", ok: false, detail: String(error) }]);
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

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(`\nbench failed: ${(error as Error).stack ?? String(error)}`);
    process.exit(1);
  },
);
