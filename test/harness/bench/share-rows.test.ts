import { describe, expect, it } from "vitest";
import type { CreditFigures } from "../../../harness/bench/credit-rate.js";
import type { EdrLimitFigures } from "../../../harness/bench/edr-limit.js";
import type { AcceptFigures } from "../../../harness/bench/http-accept.js";
import type { LoadFigures } from "../../../harness/bench/load.js";
import { shareRows } from "../../../harness/bench/share-rows.js";

const load = (requestsPerS: number, p50Ms: number, p99Ms: number): LoadFigures => ({
  requestsPerS,
  p50Ms,
  p99Ms,
  completed: 0,
  ok: 0,
  non2xx: 0,
  errors: 0,
  timeouts: 0,
  statusCodes: {},
  okPerUrl: [],
});

const accept = (apiPerS: number, rssMb: number): AcceptFigures => ({
  api: load(apiPerS, 20, 24),
  others: [
    { connections: 256, figures: load(2_100, 90, 180) },
    { connections: 8, figures: load(1_500, 4, 9.5) },
  ],
  hello: load(10_000, 1, 4),
  apiWarmup: load(1_000, 30, 60),
  apiMemory: { rss: rssMb * 2 ** 20, heapUsed: 90 * 2 ** 20, heapTotal: 120 * 2 ** 20, external: 0, arrayBuffers: 0 },
});
const credit = (eventsPerS: number) => ({ eventsPerS }) as CreditFigures;
const edr: EdrLimitFigures = { batchSize: 300, events: 6_000, seconds: 1, eventsPerS: 6_000, gasPerEvent: 11_418 };

const byFigure = (rows: ReturnType<typeof shareRows>) => Object.fromEntries(rows.map((r) => [r.figure, r]));

describe("the bench's shares of what the machine does alone", () => {
  it("lists accept at 8, 64 and 256 connections in that order, each with its rate and latencies", () => {
    const rows = shareRows(accept(2_000, 200), credit(3_000), edr).filter((r) => r.figure.startsWith("accept at"));
    expect(rows.map((r) => r.figure)).toEqual([
      "accept at 8 connections: req/s (p50 / p99)",
      "accept at 64 connections: req/s (p50 / p99)",
      "accept at 256 connections: req/s (p50 / p99)",
    ]);
    expect(rows[0]!.value).toBe("1,500/s (p50 4.0 / p99 9.5 ms)");
  });

  it("reports accept ÷ Fastify, memory and credited ÷ the in-process limit against their targets", () => {
    const rows = byFigure(shareRows(accept(2_000, 200), credit(3_000), edr));
    expect(rows["accept ÷ bare Fastify at 64 connections, %"]).toMatchObject({ value: "20.0", target: "≥ 15 %", met: "yes" });
    expect(rows["credited ÷ in-process limit, %"]).toMatchObject({ value: "50.0", target: "≥ 50 %", met: "yes" });
    const rss = Object.values(rows).find((r) => r.figure.startsWith("API process RSS"))!;
    expect(rss).toMatchObject({ value: "200", target: "≤ 300 MB", met: "yes" });
    expect(rows["API process: main thread's JavaScript heap in use after accept, MB"]).toMatchObject({ value: "90", target: "" });
  });

  it("says a target is missed without failing anything", () => {
    const rows = byFigure(shareRows(accept(1_000, 420), credit(2_000), edr));
    expect(rows["accept ÷ bare Fastify at 64 connections, %"]!.met).toBe("no");
    expect(rows["credited ÷ in-process limit, %"]!.met).toBe("no");
    expect(Object.values(rows).find((r) => r.figure.startsWith("API process RSS"))!.met).toBe("no");
  });
});
