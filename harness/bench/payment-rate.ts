import { type TransferAuthorization, VRS } from "../../services/chain/eip3009.js";
import { Worker } from "node:worker_threads";
import type { TransactionReceipt } from "ethers";
import { connectChain, DEV_WORKER_KEYS } from "../../services/chain/network.js";
import { formatTokenAmount } from "../../services/core/amounts.js";
import { PaymentNonces } from "../../services/core/payment-nonces.js";
import { startPaymentWorker } from "../../services/queue/payment-worker.js";
import { startApi } from "./http-accept.js";
import type { PaymentLoadResult, PaymentLoadSpec } from "./payment-load-worker.js";
import { PAYMENT_LOAD, type PaymentScene, paymentScene, type Planned, signPayments } from "./payment-scene.js";
import { batchGas, verifyPayments } from "./payment-verify.js";
import type { Bench } from "./setup.js";
import type { Check } from "./verify.js";
import { timeWorker } from "./worker-run.js";

export { PAYMENT_LOAD } from "./payment-scene.js";

interface Percentiles {
  p50Ms: number;
  p99Ms: number;
}

export interface PaymentFigures {
  payments: number;
  /** Setup, not measured: signing every authorization as the collectors' phones would. */
  signingS: number;
  accept: Percentiles & {
    seconds: number;
    paymentsPerS: number;
    statusCodes: Record<string, number>;
    non202: number;
    failures: string[];
  };
  settle: {
    seconds: number;
    paymentsPerS: number;
    batches: number;
    batchSizes: number[];
    gasPerPayment: number;
    /** A payment whose nonce opens its 256-bit word (the payer's first of a prefix), estimated from the batches. */
    gasFirstOfPrefix: number | null;
    /** The mean over batches that open no nonce word. */
    gasLaterOfPrefix: number | null;
    firstOfPrefixPayments: number;
    /** [ms since the worker started, payments confirmed], each time the count moved. */
    progress: [number, number][];
    workerErrors: string[];
  };
  naive: {
    payments: number;
    seconds: number;
    paymentsPerS: number;
    gasPerPayment: number;
    gasFirstOfPrefix: number;
    gasLaterOfPrefix: number;
  };
}

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;

function runPaymentLoad(spec: PaymentLoadSpec): Promise<PaymentLoadResult> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(new URL("./payment-load-worker.ts", import.meta.url), { workerData: spec });
    let answered = false;
    worker.once("message", (result: PaymentLoadResult) => {
      answered = true;
      resolve(result);
    });
    worker.once("error", reject);
    worker.once("exit", (code) => {
      if (!answered) reject(new Error(`the payment load generator exited (${code}) without a result`));
    });
  });
}

/**
 * Every payment POSTed once to the real API (round robin over `bases` when there are several processes),
 * 32 in flight, from a worker thread (the server keeps this one).
 */
export async function acceptPayments(
  bases: string[],
  scene: Pick<PaymentScene, "programId">,
  planned: { signed: TransferAuthorization; signature: string }[],
): Promise<PaymentFigures["accept"]> {
  const bodies = planned.map(({ signed, signature }) =>
    JSON.stringify({
      programId: scene.programId,
      authorization: {
        from: signed.from,
        to: signed.to,
        value: formatTokenAmount(signed.value),
        validAfter: Number(signed.validAfter),
        validBefore: Number(signed.validBefore),
        nonce: signed.nonce,
      },
      signature,
    }),
  );
  const result = await runPaymentLoad({ urls: bases.map((base) => `${base}/v1/payments`), bodies, concurrency: PAYMENT_LOAD.acceptConcurrency });
  const statusCodes: Record<string, number> = {};
  for (const status of result.statuses) statusCodes[status] = (statusCodes[status] ?? 0) + 1;
  const sorted = [...result.latenciesMs].sort((a, b) => a - b);
  return {
    seconds: result.seconds,
    paymentsPerS: bodies.length / result.seconds,
    p50Ms: percentile(sorted, 50),
    p99Ms: percentile(sorted, 99),
    statusCodes,
    non202: result.statuses.filter((s) => s !== 202).length,
    failures: result.failures,
  };
}

/** The real payment worker, timed until `count` payments of the program are confirmed, with how the count grew. */
export async function settlePayments(bench: Bench, scene: Pick<PaymentScene, "programId">, count: number) {
  const progress: [number, number][] = [];
  const started = performance.now();
  let last = -1;
  const confirmedCount = async () => {
    const [row] = await bench.sql<{ confirmed: number }[]>`
      select count(*)::int as confirmed from payments where program_id = ${scene.programId} and status = 'confirmed'`;
    const confirmed = row!.confirmed;
    if (confirmed !== last) progress.push([Math.round(performance.now() - started), (last = confirmed)]);
    return confirmed;
  };
  const run = await timeWorker(bench, {
    config: { ...bench.config, paymentBatchMax: PAYMENT_LOAD.batchMax, paymentBatchMs: PAYMENT_LOAD.batchMs },
    key: DEV_WORKER_KEYS[0],
    queue: "payments",
    start: startPaymentWorker,
    finished: confirmedCount,
    count,
    timeoutMs: PAYMENT_LOAD.timeoutMs,
    what: "payments confirmed",
  });
  return { ...run, progress };
}

/** The naive way: one `transferWithAuthorization` per payment, each sent and awaited before the next. */
async function naive(chain: Awaited<ReturnType<typeof connectChain>>, scene: PaymentScene, planned: Planned[]) {
  const token = chain.token(scene.token);
  const gas = { first: 0n, firsts: 0, later: 0n, laters: 0 };
  const started = performance.now();
  for (const { signed: a } of planned) {
    const request = await token[VRS.transferWithAuthorization].populateTransaction(
      a.from, a.to, a.value, a.validAfter, a.validBefore, a.nonce, a.v, a.r, a.s,
    );
    const receipt = await chain.writer.sendAndWait(request);
    // The naive payments use fresh nonce sequences: index 0 of a sequence opens its word.
    if (a.nonce.toLowerCase().endsWith("00")) (gas.first += receipt.gasUsed), gas.firsts++;
    else (gas.later += receipt.gasUsed), gas.laters++;
  }
  const seconds = (performance.now() - started) / 1000;
  return {
    payments: planned.length,
    seconds,
    paymentsPerS: planned.length / seconds,
    gasPerPayment: Number(gas.first + gas.later) / planned.length,
    gasFirstOfPrefix: Number(gas.first) / gas.firsts,
    gasLaterOfPrefix: Number(gas.later) / gas.laters,
  };
}

/**
 * The payments phase: a program and retailers through the API, 50 funded collectors, 5,000 signed
 * authorizations accepted through POST /v1/payments, settled by the payment worker; then 200 the naive way.
 */
export async function measurePayments(bench: Bench, log: (line: string) => void): Promise<{ figures: PaymentFigures; checks: Check[] }> {
  const api = await startApi(bench);
  let scene: PaymentScene;
  let planned: Planned[];
  let naivePlanned: Planned[];
  let signingS: number;
  let accepted: PaymentFigures["accept"];
  try {
    scene = await paymentScene(bench, api.url);
    log(`pay:      program ${scene.programId}, ${scene.retailers.length} retailers, ${scene.collectors.length} collectors funded`);
    const signing = performance.now();
    planned = await signPayments(bench, scene, PAYMENT_LOAD.payments, (c) => c.nonces);
    // Fresh sequences for the naive run, so its split into first-of-prefix and later payments is exact.
    const naiveNonces = new Map(scene.collectors.map((c) => [c, new PaymentNonces()]));
    naivePlanned = await signPayments(bench, scene, PAYMENT_LOAD.naivePayments, (c) => naiveNonces.get(c)!);
    signingS = (performance.now() - signing) / 1000;
    log(`pay:      ${planned.length + naivePlanned.length} authorizations signed in ${signingS.toFixed(1)} s; accepting ${planned.length}, 32 in flight`);
    accepted = await acceptPayments([api.url], scene, planned);
    await api.drained();
  } finally {
    await api.app.close();
  }
  log(`pay:      ${accepted.paymentsPerS.toFixed(0)} payments/s accepted; payment worker settling (batches of ${PAYMENT_LOAD.batchMax})`);

  const [before] = await bench.sql<{ pending: number }[]>`
    select count(*)::int as pending from payments where program_id = ${scene.programId} and status = 'pending'`;
  const settled = await settlePayments(bench, scene, planned.length);
  const { chain } = settled;
  let naiveFigures;
  try {
    log(`pay:      settled in ${settled.seconds.toFixed(1)} s; now ${naivePlanned.length} × transferWithAuthorization, one at a time`);
    naiveFigures = await naive(chain, scene, naivePlanned);
  } finally {
    await settled.close();
  }

  const rows = await bench.sql<{ payer: string; nonce: string; txHash: string; blockNumber: bigint; value: string; status: string }[]>`
    select payer, nonce, tx_hash as "txHash", block_number as "blockNumber", value::text as value, status
    from payments where program_id = ${scene.programId}`;
  const provider = bench.chain.provider;
  const hashes = [...new Set(rows.map((r) => r.txHash).filter(Boolean))];
  const receipts = new Map<string, TransactionReceipt>();
  for (const hash of hashes) receipts.set(hash, (await provider.getTransactionReceipt(hash))!);
  const gas = batchGas(rows, receipts);
  const figures: PaymentFigures = {
    payments: planned.length,
    signingS,
    accept: accepted,
    settle: {
      seconds: settled.seconds,
      paymentsPerS: planned.length / settled.seconds,
      batches: hashes.length,
      ...gas,
      progress: settled.progress,
      workerErrors: settled.workerErrors,
    },
    naive: naiveFigures,
  };
  const checks = await verifyPayments(bench, scene, { planned, naivePlanned, rows, receipts, pendingBefore: before!.pending, jobs: settled.jobs, figures });
  return { figures, checks };
}
