import { mkdir, writeFile } from "node:fs/promises";
import { cpus, loadavg, platform, release, totalmem } from "node:os";
import { CREDIT_LOAD, type CreditFigures } from "./credit-rate.js";
import { ACCEPT_LOAD, type AcceptFigures } from "./http-accept.js";
import { PAYMENT_LOAD, type PaymentFigures } from "./payment-rate.js";
import type { Check } from "./verify.js";

export const RESULTS_PATH = new URL("../../bench/results.json", import.meta.url).pathname;

export interface Row {
  figure: string;
  value: string;
  target: string;
  met: string;
}

export const fmt = (value: number, digits = 0) =>
  value.toLocaleString("en-US", { minimumFractionDigits: digits, maximumFractionDigits: digits });

/** A figure with its target (`atLeast` or `atMost`), or none for a reference figure. */
export function row(figure: string, value: number, digits: number, target?: { atLeast?: number; atMost?: number; unit?: string }): Row {
  if (!target) return { figure, value: fmt(value, digits), target: "", met: "" };
  const met = target.atLeast !== undefined ? value >= target.atLeast : value <= target.atMost!;
  const bound = target.atLeast !== undefined ? `≥ ${fmt(target.atLeast)}` : `≤ ${fmt(target.atMost!)}`;
  return { figure, value: fmt(value, digits), target: `${bound}${target.unit ?? ""}`, met: met ? "yes" : "no" };
}

export function figureRows(accept: AcceptFigures, credit: CreditFigures, payments: PaymentFigures): Row[] {
  const { api, hello } = accept;
  const speedup = credit.eventsPerS / credit.naive.eventsPerS;
  const { accept: pay, settle, naive } = payments;
  // A split the batches could not give (every batch opened nonce words, or none did) is left out.
  const optional = (figure: string, value: number | null) => (value === null ? [] : [row(figure, value, 0)]);
  return [
    row("accept: POST /v1/collections, events/s", api.requestsPerS, 0, { atLeast: 2_000 }),
    row("accept: p50 latency, ms", api.p50Ms, 1),
    row("accept: p99 latency, ms", api.p99Ms, 1, { atMost: 25 }),
    row("accept: non-2xx", api.non2xx + api.errors + api.timeouts, 0, { atMost: 0 }),
    row("reference: hello-world Fastify POST, req/s", hello.requestsPerS, 0),
    row("reference: hello-world p50 latency, ms", hello.p50Ms, 1),
    row("reference: hello-world p99 latency, ms", hello.p99Ms, 1),
    row(`credit: MintBatcher, ${fmt(credit.events)} events/s`, credit.eventsPerS, 0, { atLeast: 1_000 }),
    row("credit: mintBatch transactions", credit.batches, 0),
    row("credit: gas per credited event", credit.gasPerEvent, 0, { atMost: 35_000 }),
    row("credit: gas per event, costliest batch (new holders)", credit.worstBatchGasPerEvent, 0, { atMost: 35_000 }),
    row(`naive: ${credit.naive.events} × mint() sent and awaited, events/s`, credit.naive.eventsPerS, 1),
    row("naive: gas per event", credit.naive.gasPerEvent, 0),
    row("credit: batched ÷ naive", speedup, 1, { atLeast: 30, unit: "×" }),
    row(`pay accept: POST /v1/payments, ${PAYMENT_LOAD.acceptConcurrency} in flight, payments/s`, pay.paymentsPerS, 0),
    row("pay accept: p50 latency, ms", pay.p50Ms, 1),
    row("pay accept: p99 latency, ms", pay.p99Ms, 1),
    row("pay accept: non-202", pay.non202, 0, { atMost: 0 }),
    row(`pay settle: payment worker, ${fmt(payments.payments)} payments/s`, settle.paymentsPerS, 0, { atLeast: 1_000 }),
    row("pay settle: transferWithAuthorizationBatch transactions", settle.batches, 0),
    row("pay settle: gas per payment", settle.gasPerPayment, 0, { atMost: 40_000 }),
    ...optional(`pay settle: gas, payer's first of a nonce prefix (${settle.firstOfPrefixPayments}, est.)`, settle.gasFirstOfPrefix),
    ...optional("pay settle: gas, later payments of a prefix (est.)", settle.gasLaterOfPrefix),
    row(`naive: ${naive.payments} × transferWithAuthorization sent and awaited, payments/s`, naive.paymentsPerS, 1),
    row("naive: gas per payment", naive.gasPerPayment, 0),
    row("naive: gas, payer's first of a nonce prefix", naive.gasFirstOfPrefix, 0),
    row("naive: gas, later payments of a prefix", naive.gasLaterOfPrefix, 0),
    row("pay settle: batched ÷ naive, ×", settle.paymentsPerS / naive.paymentsPerS, 1),
  ];
}

export function printReport(rows: Row[], checks: Check[]): void {
  console.log("\nFigures");
  console.table(rows);
  console.log("Correctness");
  console.table(checks.map(({ check, ok, detail }) => ({ check, ok: ok ? "yes" : "NO", detail })));
}

export async function writeResults(
  accept: AcceptFigures | undefined,
  credit: CreditFigures | undefined,
  payments: PaymentFigures | undefined,
  rows: Row[],
  checks: Check[],
  extra: Record<string, unknown> = {},
): Promise<void> {
  const results = {
    date: new Date().toISOString(),
    machine: {
      cpus: cpus().length,
      cpuModel: cpus()[0]?.model ?? "unknown",
      memoryGiB: Math.round(totalmem() / 2 ** 30),
      node: process.version,
      os: `${platform()} ${release()}`,
      /** At the end of the run; `loadAverageAtStart` (below) is the one that says what else was running. */
      loadAverageAtEnd: loadavg(),
    },
    settings: { accept: ACCEPT_LOAD, credit: CREDIT_LOAD, payments: { ...PAYMENT_LOAD, fundEach: PAYMENT_LOAD.fundEach.toString() } },
    figures: { accept, credit, payments },
    table: rows,
    checks,
    correct: checks.every((check) => check.ok),
    ...extra,
  };
  await mkdir(new URL("../../bench/", import.meta.url).pathname, { recursive: true });
  await writeFile(RESULTS_PATH, `${JSON.stringify(results, null, 2)}\n`);
}
