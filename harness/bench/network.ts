/**
 * `npm run bench -- --chain anvil`: the stack as a user configures it (default batch sizes and waits), on a node
 * that mines like a network (Anvil, a block every 2 s, a 30M block gas limit) next to the dev node (Hardhat,
 * automine and a block every second), one after the other in the same run. For each: drop-offs accepted over
 * HTTP and credited by the API's operator sender, then signed payments accepted over HTTP and relayed by the
 * payment worker, both while the load arrives; credited events/s, payments/s, the time from accept to
 * `confirmed` (p50/p99), gas per credited event and the fee the receipts say was paid per 1,000 credits.
 * Prints a table; writes nothing (figures from a shared machine are not results to keep).
 */
import type { AddressInfo } from "node:net";
import { formatEther, formatUnits } from "ethers";
import { buildApp } from "../../services/api/app.js";
import { DEV_WORKER_KEYS } from "../../services/chain/network.js";
import { formatTokenAmount } from "../../services/core/amounts.js";
import { startPaymentWorker } from "../../services/queue/payment-worker.js";
import { eachLimited } from "../lib/each-limited.js";
import type { NodeKind } from "../lib/isolated-run.js";
import { pollUntil } from "../lib/time.js";
import { createScene } from "./fixtures.js";
import { paymentScene, signPayments } from "./payment-scene.js";
import { type Bench, startBench } from "./setup.js";
import { timeWorker } from "./worker-run.js";

export const NETWORK_LOAD = { credits: 2_000, payments: 1_000, concurrency: 32, timeoutMs: 120_000 } as const;

interface Pace {
  count: number;
  /** From the first accept to the last confirmation. */
  seconds: number;
  perS: number;
  p50Ms: number;
  p99Ms: number;
  /** Accept → in a block, by the block's timestamp (whole seconds, so ±1 s). */
  includedP50Ms: number;
  includedP99Ms: number;
  transactions: number;
}

export interface NetworkFigures {
  node: NodeKind;
  credits: Pace & { gasPerEvent: number; effectiveGasPriceGwei: number; baseFeeGwei: number; feePer1000: string; baseFeePer1000: string };
  payments: Pace;
}

/** Rate and accept → confirmed latency of one table's rows, from the database's own timestamps. */
async function pace(
  bench: Bench,
  node: NodeKind,
  table: "events" | "payments",
  programId: number,
  count: number,
  transactions: number,
): Promise<Pace> {
  const [row] = await bench.sql<{ seconds: number; p50: number; p99: number }[]>`
    select extract(epoch from max(updated_at) - min(created_at))::float8 as seconds,
           percentile_cont(0.5) within group (order by extract(epoch from updated_at - created_at))::float8 * 1000 as p50,
           percentile_cont(0.99) within group (order by extract(epoch from updated_at - created_at))::float8 * 1000 as p99
    from ${bench.sql(table)} where program_id = ${programId} and status = 'confirmed'`;
  // An automining node stamps each block a second after the last, however fast they come: its clock runs ahead.
  const included = node === "anvil" ? await inclusionLatency(bench, table, programId) : { includedP50Ms: NaN, includedP99Ms: NaN };
  return { count, seconds: row!.seconds, perS: count / row!.seconds, p50Ms: row!.p50, p99Ms: row!.p99, ...included, transactions };
}

/**
 * Accept → in a block: the row's accept time against its block's timestamp. The rows keep no time of
 * inclusion (they move on to confirmed), and the chain's clock is the one that says when a block was made.
 */
async function inclusionLatency(bench: Bench, table: "events" | "payments", programId: number) {
  const rows = await bench.sql<{ acceptedMs: number; blockNumber: string }[]>`
    select extract(epoch from created_at)::float8 * 1000 as "acceptedMs", block_number::text as "blockNumber"
    from ${bench.sql(table)} where program_id = ${programId} and status = 'confirmed'`;
  const blocks = [...new Set(rows.map((row) => Number(row.blockNumber)))];
  const madeAt = new Map<number, number>();
  await eachLimited(blocks, 8, async (number) => {
    madeAt.set(number, (await bench.chain.provider.getBlock(number))!.timestamp * 1000);
  });
  const latencies = rows.map((row) => madeAt.get(Number(row.blockNumber))! - row.acceptedMs).sort((a, b) => a - b);
  const at = (q: number) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? NaN;
  return { includedP50Ms: at(0.5), includedP99Ms: at(0.99) };
}

const confirmedIn = (bench: Bench, table: "events" | "payments", programId: number) => async () =>
  (await bench.sql<{ n: number }[]>`select count(*)::int as n from ${bench.sql(table)} where program_id = ${programId} and status = 'confirmed'`)[0]!.n;

async function post(url: string, body: unknown, apiKey?: string, idempotencyKey?: string) {
  const headers: Record<string, string> = { "content-type": "application/json" };
  if (apiKey) headers.authorization = `Bearer ${apiKey}`;
  if (idempotencyKey) headers["idempotency-key"] = idempotencyKey;
  const reply = await fetch(url, { method: "POST", headers, body: JSON.stringify(body) });
  if (reply.status !== 202) throw new Error(`POST ${url} answered ${reply.status}: ${await reply.text()}`);
}

/** Gas and the fee actually paid (gasUsed × effectiveGasPrice from each receipt), and its blocks' base fee. */
async function mintCost(bench: Bench, events: number) {
  const batches = await bench.sql<{ txHash: string }[]>`select tx_hash as "txHash" from mint_batches where status = 'confirmed'`;
  let gas = 0n;
  let fee = 0n;
  let baseFee = 0n;
  for (const { txHash } of batches) {
    const receipt = (await bench.chain.provider.getTransactionReceipt(txHash))!;
    const block = (await bench.chain.provider.getBlock(receipt.blockNumber))!;
    gas += receipt.gasUsed;
    fee += receipt.gasUsed * receipt.gasPrice;
    baseFee += receipt.gasUsed * (block.baseFeePerGas ?? 0n);
  }
  return {
    transactions: batches.length,
    gasPerEvent: Number(gas) / events,
    effectiveGasPriceGwei: Number(formatUnits(fee / gas, "gwei")),
    baseFeeGwei: Number(formatUnits(baseFee / gas, "gwei")),
    feePer1000: formatEther((fee * 1_000n) / BigInt(events)),
    // What the same gas costs at its blocks' base fee alone: the part no sender can avoid.
    baseFeePer1000: formatEther((baseFee * 1_000n) / BigInt(events)),
  };
}

async function measure(bench: Bench, node: NodeKind, log: (line: string) => void): Promise<NetworkFigures> {
  const app = await buildApp({ config: bench.config, chain: bench.chain, inProcessOperator: { mint: true }, logger: false });
  await app.listen({ host: "127.0.0.1", port: 0 });
  const url = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
  try {
    const scene = await createScene(url, bench.adminKey, { points: 4, collectors: 200 });
    log(`${node}: ${NETWORK_LOAD.credits} drop-offs over HTTP, ${NETWORK_LOAD.concurrency} in flight, credited as they come`);
    const ids = Array.from({ length: NETWORK_LOAD.credits }, (_, i) => i);
    await eachLimited(ids, NETWORK_LOAD.concurrency, (i) =>
      post(
        `${url}/v1/collections`,
        { programId: scene.programId, collector: scene.collectors[i % scene.collectors.length], material: "PET", grams: 100 + (i % 900) },
        scene.pointKeys[i % scene.pointKeys.length],
        `network-bench-${bench.runId}-${i}`,
      ),
    );
    await pollUntil(confirmedIn(bench, "events", scene.programId), (n) => n === ids.length, {
      timeoutMs: NETWORK_LOAD.timeoutMs,
      intervalMs: 100,
      message: (n) => `${node}: only ${n} of ${ids.length} drop-offs confirmed`,
    });
    const cost = await mintCost(bench, ids.length);
    const credits = { ...(await pace(bench, node, "events", scene.programId, ids.length, cost.transactions)), ...cost };
    log(`${node}: ${credits.perS.toFixed(0)} credited events/s; accept → confirmed p50 ${credits.p50Ms.toFixed(0)} ms`);

    const payScene = await paymentScene(bench, url);
    const planned = await signPayments(bench, payScene, NETWORK_LOAD.payments, (c) => c.nonces);
    log(`${node}: ${planned.length} signed payments over HTTP, relayed by the payment worker as they come`);
    const settling = timeWorker(bench, {
      config: bench.config,
      key: DEV_WORKER_KEYS[0],
      queue: "payments",
      start: startPaymentWorker,
      finished: confirmedIn(bench, "payments", payScene.programId),
      count: planned.length,
      timeoutMs: NETWORK_LOAD.timeoutMs,
      what: "payments confirmed",
    });
    await eachLimited(planned, NETWORK_LOAD.concurrency, ({ signed, signature }) =>
      post(`${url}/v1/payments`, {
        programId: payScene.programId,
        authorization: {
          ...{ from: signed.from, to: signed.to, value: formatTokenAmount(signed.value) },
          ...{ validAfter: Number(signed.validAfter), validBefore: Number(signed.validBefore), nonce: signed.nonce },
        },
        signature,
      }),
    );
    const settled = await settling;
    await settled.close();
    if (settled.workerErrors.length > 0) log(`${node}: payment worker errors: ${settled.workerErrors.slice(0, 3).join("; ")}`);
    const [relays] = await bench.sql<{ n: number }[]>`
      select count(distinct tx_hash)::int as n from payments where program_id = ${payScene.programId}`;
    const payments = await pace(bench, node, "payments", payScene.programId, planned.length, relays!.n);
    log(`${node}: ${payments.perS.toFixed(0)} payments/s; accept → confirmed p50 ${payments.p50Ms.toFixed(0)} ms`);
    return { node, credits, payments };
  } finally {
    await app.close();
  }
}

/** Each node in turn, each with a run of its own (node, network, database, Redis prefix). */
export async function runNetworkBench(nodes: NodeKind[], log: (line: string) => void): Promise<NetworkFigures[]> {
  const figures: NetworkFigures[] = [];
  for (const node of nodes) {
    const bench = await startBench(log, {}, node);
    let ok = false;
    try {
      figures.push(await measure(bench, node, log));
      ok = true;
    } finally {
      await bench.close({ keepLogs: !ok });
    }
  }
  return figures;
}

/** One column per node. */
export function networkTable(figures: NetworkFigures[]): string {
  const ms = (v: number) => (Number.isNaN(v) ? "n/a (automine clock)" : `${v.toFixed(0)} ms`);
  const eth = (v: string) => Number(v).toPrecision(3);
  const rows: [string, (f: NetworkFigures) => string][] = [
    ["credited events/s (first accept → last confirmed)", (f) => `${f.credits.perS.toFixed(0)} (${f.credits.count} in ${f.credits.seconds.toFixed(1)} s, ${f.credits.transactions} mintBatch)`],
    ["drop-off accept → in a block, p50 / p99 (block time, ±1 s)", (f) => `${ms(f.credits.includedP50Ms)} / ${ms(f.credits.includedP99Ms)}`],
    ["drop-off accept → confirmed, p50 / p99", (f) => `${ms(f.credits.p50Ms)} / ${ms(f.credits.p99Ms)}`],
    ["payments/s (first accept → last confirmed)", (f) => `${f.payments.perS.toFixed(0)} (${f.payments.count} in ${f.payments.seconds.toFixed(1)} s, ${f.payments.transactions} relays)`],
    ["payment accept → in a block, p50 / p99 (block time, ±1 s)", (f) => `${ms(f.payments.includedP50Ms)} / ${ms(f.payments.includedP99Ms)}`],
    ["payment accept → confirmed, p50 / p99", (f) => `${ms(f.payments.p50Ms)} / ${ms(f.payments.p99Ms)}`],
    ["gas per credited event", (f) => f.credits.gasPerEvent.toFixed(0)],
    ["base fee of the mint blocks (gas-weighted)", (f) => `${f.credits.baseFeeGwei.toPrecision(3)} gwei`],
    ["effective gas price paid (receipts)", (f) => `${f.credits.effectiveGasPriceGwei.toPrecision(3)} gwei`],
    ["fee paid per 1,000 credits (receipts)", (f) => `${eth(f.credits.feePer1000)} ETH`],
    ["fee per 1,000 credits at the base fee alone", (f) => `${eth(f.credits.baseFeePer1000)} ETH`],
  ];
  const header = ["figure", ...figures.map((f) => (f.node === "anvil" ? "anvil (2 s blocks)" : "hardhat (automine)"))];
  const table = [header, ...rows.map(([name, value]) => [name, ...figures.map(value)])];
  const widths = header.map((_, c) => Math.max(...table.map((row) => row[c]!.length)));
  return table.map((row) => row.map((cell, c) => cell.padEnd(widths[c]!)).join(" | ")).join("\n");
}
