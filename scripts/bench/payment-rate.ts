import { Worker } from "node:worker_threads";
import { Signature, type TransactionReceipt, Wallet } from "ethers";
import { Redis } from "ioredis";
import { rewardTokenDomain, type SignedTransferAuthorization, signTransferAuthorization } from "../../services/chain/eip3009.js";
import { connectChain, DEV_WORKER_KEYS } from "../../services/chain/network.js";
import { formatTokenAmount } from "../../services/core/amounts.js";
import { PaymentNonces } from "../../services/core/payment-nonces.js";
import { createSql } from "../../services/db/sql.js";
import { startPaymentWorker } from "../../services/queue/payment-worker.js";
import { createQueue } from "../../services/queue/queues.js";
import { call, eachLimited } from "./fixtures.js";
import { startApi } from "./http-accept.js";
import type { PaymentLoadResult, PaymentLoadSpec } from "./payment-load-worker.js";
import type { Bench } from "./setup.js";
import type { Check } from "./verify.js";

export const PAYMENT_LOAD = {
  collectors: 50,
  retailers: 4,
  payments: 5_000,
  /** Requests in flight against POST /v1/payments (fetch from a worker thread). */
  acceptConcurrency: 32,
  /** PAYMENT_BATCH_MAX (also the worker's concurrency) and PAYMENT_BATCH_MS of the measured worker. */
  batchMax: 250,
  batchMs: 200,
  naivePayments: 200,
  /** Tokens minted to each collector before it pays. */
  fundEach: 1_000n * 10n ** 18n,
  timeoutMs: 90_000,
} as const;

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

interface Collector {
  wallet: Wallet;
  nonces: PaymentNonces;
}

interface Planned {
  signed: SignedTransferAuthorization;
  signature: string;
}

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
const keyOf = (payer: string, nonce: string) => `${payer.toLowerCase()}:${nonce.toLowerCase()}`;
/** The 31-byte prefix of a nonce: the storage word it shares with the 255 others of its PaymentNonces sequence. */
const prefixOf = (nonce: string) => nonce.toLowerCase().slice(0, 64);

/** A program of its own (so its token's supply is this phase's alone), retailers accepting it, funded collectors. */
async function paymentScene(bench: Bench, base: string) {
  const program = await call(base, bench.adminKey, "/v1/programs", {
    name: "Bench Pay",
    symbol: "BPAY",
    kind: "recycling",
    redemptionRate: "0.01",
    rates: { PET: "2.5" },
  }, [201]);
  const retailers = await eachLimited(Array.from({ length: PAYMENT_LOAD.retailers }, (_, i) => i), 2, async (i) => {
    const address = Wallet.createRandom().address;
    const member = await call(base, bench.adminKey, "/v1/members", { kind: "retailer", name: `Bench Shop ${i + 1}`, address }, [201]);
    await call(base, bench.adminKey, `/v1/programs/${program.id as number}/members`, { memberId: member.id }, [201]);
    return address;
  });
  const collectors: Collector[] = Array.from({ length: PAYMENT_LOAD.collectors }, () => ({
    wallet: new Wallet(Wallet.createRandom().privateKey),
    nonces: new PaymentNonces(),
  }));
  // Funding is setup: one mintBatch as the operator, with event ids far above any database id.
  const token = bench.chain.token(program.token as string);
  const funded = await bench.chain.writer.sendAndWait(
    await token.mintBatch.populateTransaction(
      collectors.map((c) => c.wallet.address),
      collectors.map(() => PAYMENT_LOAD.fundEach),
      collectors.map((_, i) => (1n << 255n) + BigInt(i)),
    ),
  );
  return {
    programId: program.id as number,
    name: program.name as string,
    token: program.token as string,
    retailers,
    collectors,
    fundBlock: funded.blockNumber,
  };
}
type PaymentScene = Awaited<ReturnType<typeof paymentScene>>;

/** Payment `i`: collector i mod 50 (its nonces in order), retailer i mod 4, 0.01 to 0.97 tokens. */
async function signPayments(bench: Bench, scene: PaymentScene, count: number, nonces: (c: Collector) => PaymentNonces) {
  const domain = rewardTokenDomain(scene.name, BigInt(bench.chain.chainId), scene.token);
  const validBefore = BigInt(Math.floor(Date.now() / 1000) + 3_600);
  const planned: Planned[] = [];
  for (let i = 0; i < count; i++) {
    const collector = scene.collectors[i % scene.collectors.length]!;
    const signed = await signTransferAuthorization(collector.wallet, domain, {
      from: collector.wallet.address,
      to: scene.retailers[i % scene.retailers.length]!,
      value: BigInt(1 + (i % 97)) * 10n ** 16n,
      validAfter: 0n,
      validBefore,
      nonce: nonces(collector).take(),
    });
    planned.push({ signed, signature: Signature.from({ r: signed.r, s: signed.s, v: signed.v }).serialized });
  }
  return planned;
}

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

/** Every payment POSTed once to the real API, 32 in flight, from a worker thread (the server keeps this one). */
async function accept(base: string, scene: PaymentScene, planned: Planned[]): Promise<PaymentFigures["accept"]> {
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
  const result = await runPaymentLoad({ url: `${base}/v1/payments`, bodies, concurrency: PAYMENT_LOAD.acceptConcurrency });
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

/**
 * The real payment worker, in this process with its own Redis connection, database pool and relaying key,
 * over the jobs the API enqueued: timed from its start until every payment of the phase is confirmed.
 */
async function settle(bench: Bench, scene: PaymentScene, count: number) {
  const config = { ...bench.config, paymentBatchMax: PAYMENT_LOAD.batchMax, paymentBatchMs: PAYMENT_LOAD.batchMs };
  const chain = await connectChain(config.chainRpcUrl!, bench.deployment, DEV_WORKER_KEYS[0]);
  const connection = new Redis(config.redisUrl, { maxRetriesPerRequest: null });
  const sql = createSql(config.databaseUrl, { max: 4 });
  const workerErrors: string[] = [];
  const progress: [number, number][] = [];
  try {
    const started = performance.now();
    const worker = startPaymentWorker({
      config,
      sql,
      chain,
      connection,
      log: { info: () => {}, error: (...args: unknown[]) => void workerErrors.push(args.map(String).join(" ")) },
    });
    try {
      const deadline = Date.now() + PAYMENT_LOAD.timeoutMs;
      for (let last = -1; ; ) {
        const [row] = await bench.sql<{ confirmed: number }[]>`
          select count(*)::int as confirmed from payments where program_id = ${scene.programId} and status = 'confirmed'`;
        const confirmed = row!.confirmed;
        if (confirmed !== last) progress.push([Math.round(performance.now() - started), (last = confirmed)]);
        if (confirmed === count) break;
        if (Date.now() > deadline) {
          throw new Error(`only ${confirmed} of ${count} payments confirmed after ${PAYMENT_LOAD.timeoutMs / 1000} s`);
        }
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
    } finally {
      await worker.close();
    }
    const seconds = (performance.now() - started) / 1000;
    const queue = createQueue("payments", connection, config.redisPrefix);
    const jobs = await queue.getJobCounts("completed", "failed", "waiting", "active", "delayed");
    await queue.close();
    return { seconds, progress, workerErrors, jobs, chain };
  } catch (error) {
    chain.close();
    throw error;
  } finally {
    await connection.quit();
    await sql.end({ timeout: 5 });
  }
}

/**
 * Gas from the batch receipts. A payment that opens its nonce word (the payer's first of a prefix) pays the
 * 20k of a fresh slot; the others flip a bit. Estimated: the later ones at the mean of the batches that open
 * no word, the first ones at what the batches that do open words cost beyond that, per word opened.
 */
function batchGas(rows: { payer: string; nonce: string; txHash: string; blockNumber: bigint }[], receipts: Map<string, TransactionReceipt>) {
  // Which transaction opened each (payer, prefix) word: the earliest that carried one of its nonces.
  const opened = new Map<string, { block: bigint; txHash: string }>();
  for (const row of rows) {
    const key = `${row.payer.toLowerCase()}:${prefixOf(row.nonce)}`;
    const first = opened.get(key);
    if (first === undefined || row.blockNumber < first.block) opened.set(key, { block: row.blockNumber, txHash: row.txHash });
  }
  const opensIn = new Map<string, number>();
  for (const { txHash } of opened.values()) opensIn.set(txHash, (opensIn.get(txHash) ?? 0) + 1);
  let gas = 0n;
  const later = { gas: 0n, payments: 0 };
  const withFirsts = { gas: 0n, payments: 0, firsts: 0 };
  const sizes = new Map<string, number>();
  for (const row of rows) sizes.set(row.txHash, (sizes.get(row.txHash) ?? 0) + 1);
  for (const [hash, size] of sizes) {
    const receipt = receipts.get(hash)!;
    gas += receipt.gasUsed;
    const firsts = opensIn.get(hash) ?? 0;
    const bucket = firsts === 0 ? later : withFirsts;
    bucket.gas += receipt.gasUsed;
    bucket.payments += size;
    if (firsts > 0) withFirsts.firsts += firsts;
  }
  const laterEach = later.payments > 0 ? Number(later.gas) / later.payments : null;
  const firstEach =
    laterEach !== null && withFirsts.firsts > 0
      ? laterEach + (Number(withFirsts.gas) - laterEach * withFirsts.payments) / withFirsts.firsts
      : null;
  return {
    gasPerPayment: Number(gas) / rows.length,
    gasFirstOfPrefix: firstEach,
    gasLaterOfPrefix: laterEach,
    firstOfPrefixPayments: opened.size,
    batchSizes: [...sizes.values()],
  };
}

/** The naive way: one `transferWithAuthorization` per payment, each sent and awaited before the next. */
async function naive(chain: Awaited<ReturnType<typeof connectChain>>, scene: PaymentScene, planned: Planned[]) {
  const token = chain.token(scene.token);
  const gas = { first: 0n, firsts: 0, later: 0n, laters: 0 };
  const started = performance.now();
  for (const { signed: a } of planned) {
    const request = await token.transferWithAuthorization.populateTransaction(
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
    accepted = await accept(api.url, scene, planned);
    await api.drained();
  } finally {
    await api.app.close();
  }
  log(`pay:      ${accepted.paymentsPerS.toFixed(0)} payments/s accepted; payment worker settling (batches of ${PAYMENT_LOAD.batchMax})`);

  const [before] = await bench.sql<{ pending: number }[]>`
    select count(*)::int as pending from payments where program_id = ${scene.programId} and status = 'pending'`;
  const settled = await settle(bench, scene, planned.length);
  const { chain } = settled;
  let naiveFigures;
  try {
    log(`pay:      settled in ${settled.seconds.toFixed(1)} s; now ${naivePlanned.length} × transferWithAuthorization, one at a time`);
    naiveFigures = await naive(chain, scene, naivePlanned);
  } finally {
    chain.close();
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

/** Every payment confirmed exactly once, on chain as in the database, and the tokens where they should be. */
async function verifyPayments(
  bench: Bench,
  scene: PaymentScene,
  run: {
    planned: Planned[];
    naivePlanned: Planned[];
    rows: { payer: string; nonce: string; txHash: string; value: string; status: string }[];
    receipts: Map<string, TransactionReceipt>;
    pendingBefore: number;
    jobs: Record<string, number>;
    figures: PaymentFigures;
  },
): Promise<Check[]> {
  const { planned, naivePlanned, rows, receipts, figures } = run;
  const token = bench.chain.token(scene.token);
  const checks: Check[] = [];

  checks.push({
    check: "pay: every payment accepted 202, one row each",
    ok: figures.accept.non202 === 0 && run.pendingBefore === planned.length && rows.length === planned.length,
    detail: `${JSON.stringify(figures.accept.statusCodes)}, ${run.pendingBefore} pending rows before the worker` +
      (figures.accept.failures.length > 0 ? `; ${figures.accept.failures.join(" | ")}` : ""),
  });
  const confirmed = rows.filter((r) => r.status === "confirmed").length;
  checks.push({
    check: "pay: every payment confirmed",
    ok: confirmed === planned.length && rows.every((r) => receipts.get(r.txHash)?.status === 1),
    detail: `${confirmed} of ${planned.length} confirmed in ${figures.settle.batches} batches`,
  });
  const { completed = 0, failed = 0 } = run.jobs;
  checks.push({
    check: "pay: every job completed, worker logged no error",
    ok: completed === planned.length && failed === 0 && figures.settle.workerErrors.length === 0,
    detail: `${JSON.stringify(run.jobs)}; ${figures.settle.workerErrors.join("; ") || "no errors"}`,
  });

  // The token's own record: AuthorizationUsed once per payment (batched and naive), nothing skipped.
  const used = await token.queryFilter(token.filters.AuthorizationUsed(), scene.fundBlock);
  const skipped = await token.queryFilter(token.filters.AuthorizationSkipped(), scene.fundBlock);
  const expected = new Set([...planned, ...naivePlanned].map((p) => keyOf(p.signed.from, p.signed.nonce)));
  const seen = new Map<string, number>();
  for (const event of used) {
    const key = keyOf(event.args.authorizer, event.args.nonce);
    seen.set(key, (seen.get(key) ?? 0) + 1);
  }
  const twice = [...seen.values()].filter((n) => n > 1).length;
  const missing = [...expected].filter((key) => !seen.has(key)).length;
  // Each database row's transaction is the one whose receipt carries its AuthorizationUsed.
  const inReceipt = new Set<string>();
  for (const receipt of receipts.values()) {
    for (const entry of receipt.logs) {
      const parsed = token.interface.parseLog(entry);
      if (parsed?.name === "AuthorizationUsed") inReceipt.add(`${receipt.hash}:${keyOf(parsed.args.authorizer, parsed.args.nonce)}`);
    }
  }
  const misattributed = rows.filter((r) => !inReceipt.has(`${r.txHash}:${keyOf(r.payer, r.nonce)}`)).length;
  checks.push({
    check: "pay: AuthorizationUsed once per payment",
    ok: used.length === expected.size && twice === 0 && missing === 0 && skipped.length === 0 && misattributed === 0,
    detail: `${used.length} logs for ${expected.size} payments (${planned.length} batched + ${naivePlanned.length} naive), ` +
      `${missing} missing, ${twice} twice, ${skipped.length} skipped, ${misattributed} rows not in their receipt`,
  });

  const paid = [...planned, ...naivePlanned].reduce((sum, p) => sum + p.signed.value, 0n);
  const inDatabase = rows.reduce((sum, r) => sum + BigInt(r.value), 0n) + naivePlanned.reduce((sum, p) => sum + p.signed.value, 0n);
  const retailerBalances = (await Promise.all(scene.retailers.map((r) => token.balanceOf(r)))).reduce((a, b) => a + b, 0n);
  const collectorBalances = (await Promise.all(scene.collectors.map((c) => token.balanceOf(c.wallet.address)))).reduce((a, b) => a + b, 0n);
  const minted = PAYMENT_LOAD.fundEach * BigInt(scene.collectors.length);
  const supply = await token.totalSupply();
  checks.push({
    check: "pay: retailers received the sum paid",
    ok: retailerBalances === paid && inDatabase === paid,
    detail: `retailers hold ${formatTokenAmount(retailerBalances)}, paid ${formatTokenAmount(paid)}, database ${formatTokenAmount(inDatabase)}`,
  });
  checks.push({
    check: "pay: collectors hold minted − paid",
    ok: collectorBalances === minted - paid && supply === minted,
    detail: `collectors ${formatTokenAmount(collectorBalances)}, minted ${formatTokenAmount(minted)}, supply ${formatTokenAmount(supply)}`,
  });
  return checks;
}
