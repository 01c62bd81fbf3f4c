import { DEFAULT_BATCH } from "../../services/config.js";
import { MintBatcher } from "../../services/engines/mint-batcher.js";
import { recyclingCredit } from "../../services/core/earning.js";
import { markIncluded } from "../../services/db/mint-outbox.js";
import { findProgram } from "../../services/db/programs.js";
import type { Scene } from "./fixtures.js";
import type { Bench } from "./setup.js";
import { pollUntil } from "../lib/time.js";

/** BATCH_MAX as a deployment gets it by default; the batcher cuts a batch sooner by gas. */
export const CREDIT_LOAD = { events: 5_000, batchMax: DEFAULT_BATCH, batchMs: 200, naiveEvents: 200, timeoutMs: 90_000 } as const;

export interface CreditFigures {
  events: number;
  seconds: number;
  eventsPerS: number;
  batches: number;
  gasPerEvent: number;
  /** The costliest batch: the first, whose credits mostly go to holders with no balance yet. */
  worstBatchGasPerEvent: number;
  /** From sending a mintBatch to seeing its receipt, per batch. */
  batchConfirmMs: number[];
  batcherErrors: string[];
  naive: { events: number; seconds: number; eventsPerS: number; gasPerEvent: number };
}

/**
 * Inserts `count` pending drop-offs with the columns and credit `insertEvent` gives them, spread over the
 * scene's points and collectors. Setup, not the measured path: the HTTP phase measures acceptance.
 */
export async function insertPending(bench: Bench, scene: Scene, count: number): Promise<bigint[]> {
  const { sql } = bench;
  const program = await findProgram(sql, BigInt(scene.programId));
  if (!program) throw new Error(`no program ${scene.programId}`);
  const points = await sql<{ id: bigint }[]>`
    select member_id as id from program_members where program_id = ${scene.programId} and role = 'issuer' order by member_id`;
  const collectors = await sql<{ id: bigint; address: string }[]>`select id, address from collectors order by id`;
  const rows = Array.from({ length: count }, (_, i) => {
    const collector = collectors[(i * 7) % collectors.length]!;
    const grams = 100n + BigInt((i * 37) % 4_900);
    const material = i % 3 === 0 ? "HDPE" : "PET";
    return {
      kind: "collection",
      program_id: String(program.id),
      issuer_id: String(points[i % points.length]!.id),
      beneficiary: collector.address,
      collector_id: String(collector.id),
      material,
      grams: String(grams),
      credit: String(recyclingCredit(program.rates, material, grams)),
      status: "pending",
    };
  });
  const ids: bigint[] = [];
  for (let i = 0; i < rows.length; i += 1_000) {
    const inserted = await sql<{ id: bigint }[]>`insert into events ${sql(rows.slice(i, i + 1_000))} returning id`;
    ids.push(...inserted.map((row) => row.id));
  }
  return ids;
}

/** Runs the MintBatcher over 5,000 pending events until every one is confirmed. */
async function batched(bench: Bench, scene: Scene) {
  const { sql, chain } = bench;
  const ids = await insertPending(bench, scene, CREDIT_LOAD.events);
  const [first, last] = [ids[0]!, ids[ids.length - 1]!];
  const batchConfirmMs: number[] = [];
  const batcherErrors: string[] = [];
  const note = (_context: unknown, message: string) => batcherErrors.push(message);
  const batcher = new MintBatcher(sql, chain, {
    batchMax: CREDIT_LOAD.batchMax,
    batchMs: CREDIT_LOAD.batchMs,
    log: { info: () => {}, warn: note, error: note },
    observe: { batchConfirmed: (_size, _gas, latencyMs) => batchConfirmMs.push(latencyMs) },
  });

  const started = performance.now();
  batcher.start();
  try {
    const confirmedCount = async () =>
      (await sql<{ confirmed: number }[]>`
        select count(*)::int as confirmed from events
        where id between ${String(first)} and ${String(last)} and status in ('included', 'confirmed')`)[0]!.confirmed;
    await pollUntil(confirmedCount, (confirmed) => confirmed === ids.length, {
      timeoutMs: CREDIT_LOAD.timeoutMs,
      intervalMs: 10,
      message: (confirmed) => `only ${confirmed} of ${ids.length} events confirmed after ${CREDIT_LOAD.timeoutMs / 1000} s`,
    });
  } finally {
    await batcher.stop();
  }
  const seconds = (performance.now() - started) / 1000;

  const [totals] = await sql<{ batches: number; gas: string; worst: number }[]>`
    select count(*)::int as batches, coalesce(sum(gas_used), 0)::text as gas,
           coalesce(max(gas_used::float8 / event_count), 0) as worst
    from mint_batches where status = 'confirmed'`;
  return {
    events: ids.length,
    seconds,
    eventsPerS: ids.length / seconds,
    batches: totals!.batches,
    gasPerEvent: Number(totals!.gas) / ids.length,
    worstBatchGasPerEvent: totals!.worst,
    batchConfirmMs,
    batcherErrors,
  };
}

/** The naive way: one `mint(to, amount, eventId)` per event, each sent and awaited before the next. */
async function naive(bench: Bench, scene: Scene) {
  const { sql, chain } = bench;
  const ids = await insertPending(bench, scene, CREDIT_LOAD.naiveEvents);
  const events = await sql<{ id: bigint; beneficiary: string; credit: string }[]>`
    select id, beneficiary, credit::text as credit from events
    where id = any(${sql.array(ids.map(String))}::bigint[]) order by id`;
  const token = chain.token(scene.token);
  let gas = 0n;
  const started = performance.now();
  for (const event of events) {
    const request = await token.mint.populateTransaction(event.beneficiary, BigInt(event.credit), event.id);
    const receipt = await chain.writer.sendAndWait(request);
    await markIncluded(sql, [event.id], receipt.hash, { number: receipt.blockNumber, hash: receipt.blockHash });
    gas += receipt.gasUsed;
  }
  const seconds = (performance.now() - started) / 1000;
  return { events: events.length, seconds, eventsPerS: events.length / seconds, gasPerEvent: Number(gas) / events.length };
}

export async function measureCredit(bench: Bench, scene: Scene): Promise<CreditFigures> {
  const figures = await batched(bench, scene);
  return { ...figures, naive: await naive(bench, scene) };
}
