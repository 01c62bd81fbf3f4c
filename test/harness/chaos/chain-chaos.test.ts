import { describe, expect, it } from "vitest";
import { CHAIN_FAULT_KINDS } from "../../../harness/chaos/chain-faults.js";
import { runChaos } from "../../../harness/chaos/run.js";

describe("npm run chaos -- --chain anvil, short", () => {
  it("loses and doubles nothing through reorganisations, a dropped mint, a fee spike, RPC faults and a node restart", async () => {
    const lines: string[] = [];
    const report = await runChaos({
      chain: "anvil",
      durationS: 36,
      seed: 42,
      // The spike is held for a few blocks here; the command holds it for a minute.
      spikeMs: 8_000,
      gapS: [6, 10],
      minKills: 2,
      // The whole integration run shares the machine: a lighter load than the command's.
      collectionLanes: 2,
      paymentLanes: 1,
      pauseMs: 20,
      budgetS: 240,
      log: (line) => lines.push(line),
    });
    const context = [...lines, ...report.audit.problems, ...report.refused.slice(0, 5), ...report.unexpectedExits].join("\n");

    const chain = report.chainFaults!;
    expect(chain, context).toBeDefined();
    for (const kind of CHAIN_FAULT_KINDS) expect(chain[kind], `${kind}\n${context}`).toBeGreaterThanOrEqual(1);
    // (An outage of the faulty proxy may find the services already on the other one: nothing to refuse then.)
    for (const kind of ["status429", "status5xx", "reset", "lostAnswer"] as const) {
      expect(chain.rpc[kind], `${kind}\n${context}`).toBeGreaterThanOrEqual(1);
    }
    expect(report.faults.killsSurvived, context).toBeGreaterThanOrEqual(2);

    expect(report.drain.drained, context).toBe(true);
    expect(report.audit.events.accepted, context).toBeGreaterThan(50);
    expect(report.audit.events, context).toMatchObject({ duplicates: 0, lost: 0, credited: report.audit.events.accepted });
    expect(report.audit.sums.supply, context).toBe(report.audit.sums.accepted);
    expect(report.audit.payments.accepted, context).toBeGreaterThan(10);
    expect(report.audit.payments, context).toMatchObject({ duplicates: 0, lost: 0 });
    expect(report.audit.payments.settled + report.audit.payments.failed, context).toBe(report.audit.payments.accepted);
    expect(report.audit.problems, context).toEqual([]);
    expect(report.refused, context).toEqual([]);
    expect(report.unexpectedExits, context).toEqual([]);
    expect(report.ok, context).toBe(true);
  }, 300_000);
});
