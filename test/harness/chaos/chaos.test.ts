import { describe, expect, inject, it } from "vitest";
import { runChaos } from "../../../harness/chaos/run.js";

describe("npm run chaos, short", () => {
  it("loses and doubles nothing while workers and the API are killed with SIGKILL and Redis is flushed", async () => {
    const lines: string[] = [];
    const report = await runChaos({
      durationS: 24,
      seed: 42,
      chainUrl: inject("chainUrl"),
      gapS: [2, 4],
      // Worker, API, worker: on a busy machine restarts are slow, so the load runs on until these are done.
      minKills: 3,
      // The whole integration run shares the machine: a lighter load than the command's.
      collectionLanes: 2,
      paymentLanes: 1,
      pauseMs: 20,
      budgetS: 100,
      log: (line) => lines.push(line),
    });
    const context = [...lines, ...report.audit.problems, ...report.refused.slice(0, 5), ...report.unexpectedExits].join("\n");

    expect(report.faults.workerKills, context).toBeGreaterThanOrEqual(2);
    expect(report.faults.apiKills, context).toBeGreaterThanOrEqual(1);
    expect(report.faults.apiRestarts, context).toBeGreaterThanOrEqual(report.faults.apiKills);
    expect(report.faults.killsSurvived, context).toBe(report.faults.workerKills + report.faults.apiKills);
    expect(report.faults.redisFlushes, context).toBe(1);
    expect(report.faults.flushedKeys, context).toBeGreaterThan(0);

    expect(report.drain.drained, context).toBe(true);
    expect(report.audit.events.accepted, context).toBeGreaterThan(100);
    expect(report.audit.events, context).toMatchObject({ duplicates: 0, lost: 0, credited: report.audit.events.accepted });
    expect(report.audit.sums.credited, context).toBe(report.audit.sums.accepted);
    expect(report.audit.sums.supply, context).toBe(report.audit.sums.accepted);
    expect(report.audit.payments.accepted, context).toBeGreaterThan(20);
    expect(report.audit.payments, context).toMatchObject({ duplicates: 0, lost: 0 });
    expect(report.audit.payments.settled + report.audit.payments.failed, context).toBe(report.audit.payments.accepted);
    expect(report.refused, context).toEqual([]);
    expect(report.unexpectedExits, context).toEqual([]);
    expect(report.ok, context).toBe(true);
  }, 150_000);
});
