import { mkdir, writeFile } from "node:fs/promises";
import { dirname } from "node:path";
import { MintBatcher } from "../../services/engines/mint-batcher.js";
import { MAX_BATCH } from "../../services/config.js";
import { insertPending } from "./credit-rate.js";
import type { Scene } from "./fixtures.js";
import { fmt, type Row } from "./report.js";
import type { Bench } from "./setup.js";
import { throughputSvg } from "./throughput-chart.js";
import type { Check } from "./verify.js";
import { PollTimeout, pollUntil } from "../lib/time.js";

/** Osaka's per-transaction gas cap (EIP-7825): no batch, however the batcher sizes its gas limit, exceeds it. */
export const TX_GAS_CAP = 2 ** 24;

export const SWEEP_LOAD = {
  batchSizes: [1, 2, 5, 10, 20, 50, 100, 200, 500, 1_000],
  /** Events per point: 25 batches' worth, at least 60 and at most 5,000, rounded up to whole batches. */
  batchesPerPoint: 25,
  minEvents: 60,
  maxEvents: 5_000,
  batchMs: 200,
  pointTimeoutMs: 30_000,
} as const;

export function sweepEvents(batchSize: number): number {
  const wanted = Math.min(SWEEP_LOAD.maxEvents, Math.max(SWEEP_LOAD.minEvents, batchSize * SWEEP_LOAD.batchesPerPoint));
  return Math.ceil(wanted / batchSize) * batchSize;
}

export interface SweepPoint {
  batchSize: number;
  events: number;
  /** Events the point confirmed (all of them unless `error`). */
  confirmed: number;
  seconds: number;
  eventsPerS: number;
  transactions: number;
  gasPerEvent: number;
  /** The costliest transaction of the point, against the 2^24 cap. */
  maxTxGas: number;
  /** Above MAX_BATCH (services/config.ts), the largest BATCH_MAX a deployment may set. */
  aboveConfigMax: boolean;
  error?: string;
}

export interface SweepFigures {
  points: SweepPoint[];
  /** A credit to a holder with no balance yet (the credit phase's costliest batch), per event. */
  freshHolderGasPerEvent: number;
  /** What a batch of 1,000 credits to fresh holders would need, against the cap. */
  freshBatchOf1000Gas: number;
  notes: string[];
}

/**
 * One MintBatcher at `batchSize` over freshly inserted pending events of the scene's program, timed from its
 * start until every one is confirmed. The collectors already hold tokens (the credit phase paid them), so
 * each credit is a repeat holder's: the steady state of a network whose collectors come back.
 */
async function measurePoint(bench: Bench, scene: Scene, batchSize: number): Promise<SweepPoint> {
  const { sql, chain } = bench;
  const events = sweepEvents(batchSize);
  const ids = await insertPending(bench, scene, events);
  const [first, last] = [ids[0]!, ids[ids.length - 1]!];
  const [mark] = await sql<{ id: string }[]>`select coalesce(max(id), 0)::text as id from mint_batches`;
  const errors: string[] = [];
  const note = (_context: unknown, message: string) => errors.push(message);
  const batcher = new MintBatcher(sql, chain, { batchMax: batchSize, batchMs: SWEEP_LOAD.batchMs, log: { info: () => {}, warn: note, error: note } });
  const started = performance.now();
  let confirmed = 0;
  let seconds = 0;
  let error: string | undefined;
  batcher.start();
  try {
    const confirmedCount = async () => {
      const [row] = await sql<{ confirmed: number }[]>`
        select count(*)::int as confirmed from events
        where id between ${String(first)} and ${String(last)} and status in ('included', 'confirmed')`;
      confirmed = row!.confirmed;
      // Timed to the last confirmation, not to the batcher's stop.
      seconds = (performance.now() - started) / 1000;
      return confirmed;
    };
    try {
      // A batcher error ends the point early.
      await pollUntil(confirmedCount, (n) => n === ids.length || errors.length > 0, { timeoutMs: SWEEP_LOAD.pointTimeoutMs, intervalMs: 10 });
      if (confirmed !== ids.length) error = errors[0];
    } catch (timeout) {
      if (!(timeout instanceof PollTimeout)) throw timeout;
      error = errors[0] ?? `only ${confirmed} of ${ids.length} confirmed after ${SWEEP_LOAD.pointTimeoutMs / 1000} s`;
    }
  } finally {
    await batcher.stop();
  }
  if (error) {
    // Whatever did not go through is set aside, so the next point times only its own events.
    await sql`update events set status = 'rejected', review_note = 'bench: batch sweep, not mintable', updated_at = now()
              where id between ${String(first)} and ${String(last)} and status = 'pending'`;
  }
  const [totals] = await sql<{ transactions: number; gas: string; max: string }[]>`
    select count(*)::int as transactions, coalesce(sum(gas_used), 0)::text as gas, coalesce(max(gas_used), 0)::text as max
    from mint_batches where id > ${mark!.id} and status = 'confirmed'`;
  return {
    batchSize,
    events,
    confirmed,
    seconds,
    eventsPerS: confirmed / seconds,
    transactions: totals!.transactions,
    gasPerEvent: confirmed > 0 ? Number(totals!.gas) / confirmed : 0,
    maxTxGas: Number(totals!.max),
    aboveConfigMax: batchSize > MAX_BATCH,
    ...(error ? { error } : {}),
  };
}

/** Credited events/s and gas per event for every batch size of SWEEP_LOAD, one after the other. */
export async function measureSweep(bench: Bench, scene: Scene, freshHolderGasPerEvent: number, log: (line: string) => void): Promise<SweepFigures> {
  const points: SweepPoint[] = [];
  for (const batchSize of SWEEP_LOAD.batchSizes) {
    const point = await measurePoint(bench, scene, batchSize);
    points.push(point);
    log(
      `sweep:    batch ${String(batchSize).padStart(4)}: ${point.eventsPerS.toFixed(0).padStart(5)} events/s, ` +
        `${point.gasPerEvent.toFixed(0)} gas/event, ${point.transactions} tx${point.error ? ` (FAILED: ${point.error})` : ""}`,
    );
  }
  const freshBatchOf1000Gas = Math.round(freshHolderGasPerEvent * 1_000);
  const biggest = points.find((p) => p.batchSize === 1_000);
  const notes = [
    `Every sweep credit goes to a collector who already holds tokens (a repeat holder).`,
    `1,000 credits to fresh holders would need ~${(freshBatchOf1000Gas / 1e6).toFixed(1)}M gas (${freshHolderGasPerEvent.toFixed(0)} each), ` +
      `over the 2^24 (${(TX_GAS_CAP / 1e6).toFixed(1)}M) per-transaction cap: not possible in one transaction, ` +
      `so BATCH_MAX stops at ${MAX_BATCH}.`,
  ];
  if (biggest && !biggest.error) {
    notes.push(`The 1,000 point is one transaction per batch (${(biggest.maxTxGas / 1e6).toFixed(1)}M gas at most): it fits only because its holders are repeat holders.`);
  } else if (biggest) {
    notes.push(`The 1,000 point failed: ${biggest.error}.`);
  }
  return { points, freshHolderGasPerEvent, freshBatchOf1000Gas, notes };
}

export function sweepChecks(sweep: SweepFigures): Check[] {
  const failed = sweep.points.filter((p) => p.error || p.confirmed !== p.events);
  const overCap = sweep.points.filter((p) => p.maxTxGas > TX_GAS_CAP);
  const wrongCount = sweep.points.filter((p) => !p.error && p.transactions !== p.events / p.batchSize);
  return [
    {
      check: "sweep: every event confirmed at every batch size",
      ok: failed.length === 0,
      detail: failed.length === 0 ? `${sweep.points.length} batch sizes` : failed.map((p) => `${p.batchSize}: ${p.error ?? `${p.confirmed}/${p.events}`}`).join("; "),
    },
    {
      check: "sweep: one transaction per full batch, none over 2^24 gas",
      ok: overCap.length === 0 && wrongCount.length === 0,
      detail: `${wrongCount.map((p) => `${p.batchSize}: ${p.transactions} tx for ${p.events}`).join("; ") || "all full"}; ${overCap.length} over the cap`,
    },
  ];
}

export function sweepRows(sweep: SweepFigures): Row[] {
  const rows = sweep.points.map((p): Row => ({
    figure: `sweep: mintBatch of ${fmt(p.batchSize)} (${fmt(p.events)} events, ${p.transactions} tx): events/s | gas per event`,
    value: p.error ? `failed: ${p.error}` : `${fmt(p.eventsPerS)} | ${fmt(p.gasPerEvent)}`,
    target: p.aboveConfigMax ? `> BATCH_MAX ${MAX_BATCH}` : "",
    met: "",
  }));
  rows.push({
    figure: "sweep: 1,000 credits to fresh holders in one tx",
    value: `~${(sweep.freshBatchOf1000Gas / 1e6).toFixed(1)}M gas > 2^24 cap: not possible`,
    target: "",
    met: "",
  });
  return rows;
}

export const CHART_PATH = new URL("../../bench/throughput.svg", import.meta.url).pathname;

/** bench/throughput.svg: the sweep's events/s and gas per event, its notes under it. */
export async function writeSweepChart(sweep: SweepFigures, machine: string): Promise<void> {
  const svg = throughputSvg({
    title: "recircle: credited events/s against the mint batch size",
    subtitle: machine,
    points: sweep.points.map((p) => ({
      batchSize: p.batchSize,
      eventsPerS: p.error ? undefined : p.eventsPerS,
      gasPerEvent: p.error ? undefined : p.gasPerEvent,
      flag: p.aboveConfigMax ? `> BATCH_MAX ${MAX_BATCH}` : undefined,
    })),
    notes: [
      // One line per point's size, time and transactions; the chart wraps long notes.
      sweep.points.map((p) => `${p.batchSize}: ${p.events} events, ${p.transactions} tx, ${p.seconds.toFixed(2)} s${p.error ? " (failed)" : ""}`).join("; "),
      ...sweep.notes,
    ],
  });
  await mkdir(dirname(CHART_PATH), { recursive: true });
  await writeFile(CHART_PATH, svg);
}
