import { describe, expect, it } from "vitest";
import { type Report, sameFigures } from "../../../web/src/sponsor/flows.js";

const PROGRAM = "0x1111111111111111111111111111111111111111";
const solvency = (blockNumber: number, outstandingValue = "0.04") => ({ outstandingValue, depositsLeft: "3", solvent: true, blockNumber });

/** A report read at the indexer's checkpoint `toBlock`, one deposit, nothing drawn yet. */
const report = (toBlock: number, overrides: Partial<Report> = {}): Report =>
  ({
    sponsor: "0x2222222222222222222222222222222222222222",
    fromBlock: 1,
    toBlock,
    period: { from: { blockNumber: 1, at: "2026-12-01T00:00:00.000Z" }, to: { blockNumber: toBlock, at: new Date(Date.UTC(2026, 11, 1) + toBlock * 1000).toISOString() } },
    totals: { deposited: "3", drawn: "0", fees: "0", paidToRetailers: "0", withdrawn: "0", left: "3" },
    deposits: [{ depositId: 1, program: PROGRAM, amount: "3", drawn: "0", withdrawn: "0", left: "3", withdrawal: null, txHash: `0x${"1".repeat(64)}`, blockNumber: 10, at: null, draws: [] }],
    programs: [{ program: PROGRAM, solvency: solvency(toBlock) }],
    ...overrides,
  }) as unknown as Report;

describe("the sponsor page's refresh", () => {
  it("keeps the shown report when a newer read differs only in the blocks it ends at and their time", () => {
    expect(sameFigures(report(20), report(21))).toBe(true);
  });

  it("takes a newer read that says something new: a payout, or tokens credited since", () => {
    const paid = { deposited: "3", drawn: "1", fees: "0.005", paidToRetailers: "0.995", withdrawn: "0", left: "2" };
    expect(sameFigures(report(20), report(21, { totals: paid }))).toBe(false);
    expect(sameFigures(report(20), report(21, { programs: [{ program: PROGRAM, solvency: solvency(21, "0.09") }] } as Partial<Report>))).toBe(false);
  });
});
