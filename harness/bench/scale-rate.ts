import type { ChildProcess } from "node:child_process";
import { createInterface } from "node:readline";
import { Redis } from "ioredis";
import { recordDeployment } from "../../services/chain/address-book.js";
import { DEV_OPERATOR_KEY } from "../../services/chain/network.js";
import { createQueue } from "../../services/queue/queues.js";
import { type PlannedProcess, planProcesses } from "../../scripts/process-plan.js";
import { startWorker, stopAll } from "../../scripts/worker-processes.js";
import { createScene } from "./fixtures.js";
import { ACCEPT_LOAD, startApi } from "./http-accept.js";
import { type LoadFigures, runLoad } from "./load.js";
import { acceptPayments, type PaymentFigures } from "./payment-rate.js";
import { PAYMENT_LOAD, paymentScene, signPayments } from "./payment-scene.js";
import { fmt, type Row, row } from "./report.js";
import type { Bench } from "./setup.js";
import { freePort } from "./setup.js";
import type { Check } from "./verify.js";
import { pollUntil, sleep } from "../lib/time.js";
import { LOAD_RATE_LIMITS } from "../lib/load-limits.js";

/** `npm start -- --api 2 --workers 2`, as scripts/process-plan.ts lays it out: the same keys, the same entries. */
export const SCALE = { api: 2, workers: 2 } as const;

export interface ScaleFigures {
  processes: { name: string; kind: string; port?: number | undefined; address?: string | undefined; where: string }[];
  accept: LoadFigures & { warmup: LoadFigures };
  /** API process 1 alone just before, on the same database and program: the like-for-like reference. */
  oneApi: LoadFigures;
  payAccept: PaymentFigures["accept"];
  settle: {
    payments: number;
    seconds: number;
    paymentsPerS: number;
    batches: number;
    gasPerPayment: number;
    /** Batches and payments per sending address: one per worker process. */
    bySender: Record<string, { batches: number; payments: number }>;
  };
}

/** Resolves once `url` answers at all (the child has compiled and listens), or fails after `timeoutMs`. */
async function answering(url: string, child: ChildProcess, timeoutMs = 30_000) {
  const answers = async () => {
    if (child.exitCode !== null) throw new Error(`${url}: the process exited (${child.exitCode})`);
    return fetch(url).then(() => true, () => false);
  };
  await pollUntil(answers, (answered) => answered, { timeoutMs, intervalMs: 100, message: () => `${url} did not answer within ${timeoutMs / 1000} s` });
}

/** Resolves when the child prints a line matching `pattern` (a worker's start line). */
function printed(child: ChildProcess, pattern: RegExp, timeoutMs = 30_000): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no line matching ${pattern} within ${timeoutMs / 1000} s`)), timeoutMs);
    createInterface({ input: child.stdout! }).on("line", (line) => {
      if (pattern.test(line)) clearTimeout(timer), resolve();
    });
    child.once("exit", (code) => reject(new Error(`the process exited (${code}) before ${pattern}`)));
  });
}

/** Waits until `count()` has not moved for `quietMs`: a child's last requests have been handled. */
async function settled(count: () => Promise<number>, quietMs = 300) {
  let last = -1;
  for (let now = await count(); now !== last; now = await count()) {
    last = now;
    await sleep(quietMs);
  }
}

/**
 * The 2 × 2 phase. API process 1 runs here as in the phases above (operator key, batcher off: the credit
 * phase measures minting); API process 2 and both payment workers are children started the way `npm start`
 * starts them (scripts/worker-processes.ts), each signing with the key the process plan gives it. Drop-offs
 * are accepted over both APIs (32 connections each), then 5,000 payments (round robin), and the two payment
 * workers settle them, timed from the moment the paused queue is resumed. The drop-offs go to a program of
 * their own: the caps' daily sums would otherwise read every event the phases above credited today.
 */
export async function measureScale(bench: Bench, sizes: { points: number; collectors: number }, log: (line: string) => void): Promise<{ figures: ScaleFigures; checks: Check[] }> {
  const { config, sql } = bench;
  await recordDeployment(bench.deployment, config.addressBookPath);
  // API process 1 runs here on any port; the plan gives process 2 PORT + 1, so hand it the port before a free one.
  const plan = planProcesses({
    ...SCALE,
    port: (await freePort()) - 1,
    devChain: true,
    operatorKey: DEV_OPERATOR_KEY,
    paymentKeys: [],
    redemptionKeys: [],
  });
  if (typeof plan[0] === "string") throw new Error(`process plan: ${plan.join("; ")}`);
  const processes = (plan as PlannedProcess[]).filter((p) => p.kind === "api" || p.kind === "payments");
  const env: Record<string, string> = {
    DATABASE_URL: config.databaseUrl,
    DATABASE_POOL_SIZE: String(config.databasePoolSize),
    REDIS_URL: config.redisUrl,
    REDIS_PREFIX: config.redisPrefix,
    CHAIN_RPC_URL: config.chainRpcUrl!,
    OPERATOR_PRIVATE_KEY: DEV_OPERATOR_KEY,
    ADDRESS_BOOK: config.addressBookPath,
    STATE_DIR: config.stateDir,
    HOST: "127.0.0.1",
    LOG_LEVEL: "error",
    PAYMENT_BATCH_MAX: String(PAYMENT_LOAD.batchMax),
    PAYMENT_BATCH_MS: String(PAYMENT_LOAD.batchMs),
    ...LOAD_RATE_LIMITS,
  };
  let stopping = false;
  const onExit = (label: string, code: number | null, signal: string | null) => {
    if (!stopping) log(`scale:    ${label} stopped (${signal ?? code})`);
  };
  const children: ChildProcess[] = [];
  const stop = async (list: ChildProcess[]) => {
    stopping = true;
    await stopAll(list);
    stopping = false;
  };
  const api2 = processes.find((p) => p.name === "api-2")!;
  const api1 = await startApi(bench);
  const api2Url = `http://127.0.0.1:${api2.port!}`;
  const where = new Map<string, string>([["api-1", `${api1.url}, in the bench process`]]);
  try {
    const api2Child = startWorker("api", onExit, { label: "api-2", script: "services/api/main.ts", env: { ...env, ...api2.env } });
    children.push(api2Child);
    await answering(`${api2Url}/health`, api2Child);
    where.set("api-2", `${api2Url}, child process ${api2Child.pid}`);
    const urls = [api1.url, api2Url];
    const scene = await createScene(api1.url, bench.adminKey, sizes);
    log(`scale:    1 API process, then 2 (${urls.join(", ")}); 64 connections over them, each 2 s warm-up then ${ACCEPT_LOAD.durationS} s`);

    const [mark] = await sql<{ id: string }[]>`select coalesce(max(id), 0)::text as id from events`;
    const eventsSince = async () => (await sql<{ n: number }[]>`select count(*)::int as n from events where id > ${mark!.id}`)[0]!.n;
    const load = (durationS: number, keyPrefix: string, over = urls) =>
      runLoad({ urls: over, path: "/v1/collections", connections: ACCEPT_LOAD.connections, durationS, scene, keyPrefix });
    // The same load on API process 1 alone first: the database has grown since the first phase, so that
    // phase's figure is not the reference for this one.
    const oneWarmup = await load(ACCEPT_LOAD.warmupS, `bench-${bench.runId}-scale-one-warmup`, [api1.url]);
    await api1.drained();
    const oneApi = await load(ACCEPT_LOAD.durationS, `bench-${bench.runId}-scale-one`, [api1.url]);
    await api1.drained();
    const warmup = await load(ACCEPT_LOAD.warmupS, `bench-${bench.runId}-scale-warmup`);
    await api1.drained();
    await settled(eventsSince);
    const accept = await load(ACCEPT_LOAD.durationS, `bench-${bench.runId}-scale-accept`);
    await api1.drained();
    await settled(eventsSince);
    log(`scale:    ${accept.requestsPerS.toFixed(0)} events/s accepted over 2 APIs (p50 ${accept.p50Ms} ms, p99 ${accept.p99Ms} ms), ${oneApi.requestsPerS.toFixed(0)} by 1`);
    const acceptChecks = await checkAndSetAside(bench, mark!.id, [oneWarmup, oneApi, warmup, accept]);

    const payScene = await paymentScene(bench, api1.url);
    const planned = await signPayments(bench, payScene, PAYMENT_LOAD.payments, (c) => c.nonces);
    log(`scale:    ${planned.length} payments signed; accepting round robin over both APIs, ${PAYMENT_LOAD.acceptConcurrency} in flight`);
    const payAccept = await acceptPayments(urls, payScene, planned);
    await api1.drained();
    await stop([api2Child]);
    log(`scale:    ${payAccept.paymentsPerS.toFixed(0)} payments/s accepted; starting 2 payment workers on the paused queue`);

    const connection = new Redis(config.redisUrl, { maxRetriesPerRequest: null });
    const queue = createQueue("payments", connection, config.redisPrefix);
    let settle: ScaleFigures["settle"];
    try {
      await queue.pause();
      // The one-process phase's jobs are still there, completed: count from here.
      const before = await queue.getJobCounts("completed");
      const workers = processes.filter((p) => p.kind === "payments");
      // At info, for their start line; a worker logs little else there.
      const workerChildren = workers.map((p) => startWorker("payments", onExit, { label: p.name, env: { ...env, ...p.env, LOG_LEVEL: "info" } }));
      children.push(...workerChildren);
      await Promise.all(workerChildren.map((child) => printed(child, / payment worker 0x/)));
      workers.forEach((p, i) => where.set(p.name, `child process ${workerChildren[i]!.pid}`));
      const started = performance.now();
      await queue.resume();
      const confirmedCount = async () =>
        (await sql<{ confirmed: number }[]>`
          select count(*)::int as confirmed from payments where program_id = ${payScene.programId} and status = 'confirmed'`)[0]!.confirmed;
      await pollUntil(confirmedCount, (confirmed) => confirmed === planned.length, {
        timeoutMs: PAYMENT_LOAD.timeoutMs,
        intervalMs: 10,
        message: (confirmed) => `2 workers: only ${confirmed} of ${planned.length} payments confirmed`,
      });
      const seconds = (performance.now() - started) / 1000;
      await stop(workerChildren);
      settle = await settleFigures(bench, payScene.programId, planned.length, seconds);
      const jobs = await queue.getJobCounts("completed", "failed", "waiting", "active", "delayed");
      const workerAddresses = workers.map((p) => p.address!.toLowerCase()).sort();
      const senders = Object.keys(settle.bySender).sort();
      const retailersHold = (await Promise.all(payScene.retailers.map((r) => bench.chain.token(payScene.token).balanceOf(r)))).reduce((a, b) => a + b, 0n);
      const paid = planned.reduce((sum, p) => sum + p.signed.value, 0n);
      acceptChecks.push(
        { check: "2×2 pay: every payment accepted 202", ok: payAccept.non202 === 0, detail: JSON.stringify(payAccept.statusCodes) },
        {
          // The workers' reconciler (every 15 s) re-adds the job of a row still open when it looks, even one whose
          // batch is in flight: such a job waits, and would settle nothing when taken (the nonce is used). None may fail.
          check: "2×2 pay: every payment confirmed, no job failed",
          ok: jobs.failed === 0,
          detail:
            `${planned.length} confirmed in ${settle.batches} batches; ${jobs.completed! - before.completed!} jobs completed, ` +
            `${jobs.waiting} re-added by the reconciler and waiting, ${jobs.failed} failed`,
        },
        {
          check: "2×2 pay: both workers settled, each with its own key",
          ok: senders.length === 2 && senders.every((s, i) => s === workerAddresses[i]),
          detail: Object.entries(settle.bySender).map(([a, s]) => `${a.slice(0, 10)}…: ${s.batches} tx, ${s.payments} payments`).join("; "),
        },
        { check: "2×2 pay: retailers received the sum paid", ok: retailersHold === paid, detail: `held ${retailersHold}, paid ${paid}` },
      );
    } finally {
      await queue.close();
      await connection.quit();
    }
    const figures: ScaleFigures = {
      processes: processes.map((p) => ({ name: p.name, kind: p.kind, port: p.name === "api-1" ? undefined : p.port, address: p.address, where: where.get(p.name) ?? "" })),
      accept: { ...accept, warmup },
      oneApi,
      payAccept,
      settle,
    };
    return { figures, checks: acceptChecks };
  } finally {
    await stop(children);
    await api1.app.close();
  }
}

/** Every 2xx of both runs recorded one pending event (and its stored answer); then they are set aside, unminted. */
async function checkAndSetAside(bench: Bench, markId: string, runs: LoadFigures[]): Promise<Check[]> {
  const { sql } = bench;
  const answered = runs.reduce((sum, run) => sum + run.ok, 0);
  const errors = runs.reduce((sum, run) => sum + run.non2xx + run.errors + run.timeouts, 0);
  const [counts] = await sql<{ events: number; pending: number; keys: number }[]>`
    select count(*)::int as events, (count(*) filter (where status = 'pending'))::int as pending,
           (select count(*)::int from idempotency_keys where key like ${`bench-${bench.runId}-scale-%`} and status_code = 202) as keys
    from events where id > ${markId}`;
  const { events, pending, keys } = counts!;
  await sql`update events set status = 'rejected', review_note = 'bench: 2×2 accept phase, measured and not minted', updated_at = now()
            where id > ${markId} and status = 'pending'`;
  const slack = runs.length * ACCEPT_LOAD.connections;
  const served = runs[runs.length - 1]!.okPerUrl;
  return [
    { check: "2×2 accept: every request answered 2xx", ok: errors === 0, detail: `${errors} non-2xx, errors or timeouts` },
    {
      check: "2×2 accept: one pending event per 2xx, both APIs served",
      ok: events >= answered && events <= answered + slack && keys === events && pending === events && served.every((n) => n > 0),
      detail: `${answered} answered 2xx (measured run: ${served.join(" + ")}), ${events} events, ${pending} pending, ${keys} stored answers`,
    },
  ];
}

async function settleFigures(bench: Bench, programId: number, payments: number, seconds: number): Promise<ScaleFigures["settle"]> {
  const rows = await bench.sql<{ txHash: string }[]>`select tx_hash as "txHash" from payments where program_id = ${programId}`;
  const perTx = new Map<string, number>();
  for (const { txHash } of rows) perTx.set(txHash, (perTx.get(txHash) ?? 0) + 1);
  let gas = 0n;
  const bySender: ScaleFigures["settle"]["bySender"] = {};
  for (const [hash, count] of perTx) {
    const receipt = (await bench.chain.provider.getTransactionReceipt(hash))!;
    gas += receipt.gasUsed;
    const sender = (bySender[receipt.from.toLowerCase()] ??= { batches: 0, payments: 0 });
    sender.batches += 1;
    sender.payments += count;
  }
  return { payments, seconds, paymentsPerS: payments / seconds, batches: perTx.size, gasPerPayment: Number(gas) / payments, bySender };
}

/** The 2 × 2 figures next to the one-process ones measured above. */
export function scaleRows(scale: ScaleFigures, oneAccept: LoadFigures, onePayments: PaymentFigures): Row[] {
  const { accept, payAccept, settle } = scale;
  return [
    row("2×2 accept: POST /v1/collections over 2 API processes, events/s", accept.requestsPerS, 0),
    row("2×2 accept: p50 latency, ms", accept.p50Ms, 1),
    row("2×2 accept: p99 latency, ms", accept.p99Ms, 1),
    row("2×2 accept: API process 1 alone just before (same database), events/s", scale.oneApi.requestsPerS, 0),
    row("2×2 accept: 2 APIs ÷ 1 API just before, ×", accept.requestsPerS / scale.oneApi.requestsPerS, 2),
    row("2×2 accept: 2 APIs ÷ 1 API of the first phase, ×", accept.requestsPerS / oneAccept.requestsPerS, 2),
    row("2×2 pay accept: POST /v1/payments round robin over 2 APIs, payments/s", payAccept.paymentsPerS, 0),
    row("2×2 pay accept: p50 latency, ms", payAccept.p50Ms, 1),
    row("2×2 pay accept: p99 latency, ms", payAccept.p99Ms, 1),
    row("2×2 pay accept: 2 APIs ÷ 1 API, ×", payAccept.paymentsPerS / onePayments.accept.paymentsPerS, 2),
    row(`2×2 pay settle: 2 payment worker processes, ${fmt(settle.payments)} payments/s`, settle.paymentsPerS, 0),
    row("2×2 pay settle: transactions (both keys)", settle.batches, 0),
    row("2×2 pay settle: gas per payment", settle.gasPerPayment, 0),
    row("2×2 pay settle: 2 workers ÷ 1 worker, ×", settle.paymentsPerS / onePayments.settle.paymentsPerS, 2),
  ];
}
