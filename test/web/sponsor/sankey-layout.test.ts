import { describe, expect, it } from "vitest";
import type { FundFlowReport } from "../../../services/core/fund-flow-present.js";
import { fundFlowSankey, MAX_RETAILERS, weeklyKg, type FlowLabels } from "../../../web/src/sponsor/flows.js";
import { layoutSankey } from "../../../web/src/sponsor/sankey-layout.js";

const labels: FlowLabels = {
  deposit: (id) => `Deposit #${id}`,
  program: (address) => `Program ${address.slice(0, 6)}`,
  retailer: (address) => `Retailer ${address.slice(0, 6)}`,
  otherRetailers: (count) => `${count} other retailers`,
  fees: "Fees",
  withdrawn: "Withdrawn",
  left: "Left",
};

const RETAILER = "0xAaAaAaAaAaAaAaAaAaAaAaAaAaAaAaAaAaAaAaAa";
const PROGRAM = "0x1111111111111111111111111111111111111111";
const ref = (n: number) => ({ txHash: `0x${String(n).padStart(64, "0")}`, blockNumber: n, at: null });
const draw = (redemptionId: number, retailer: string, amount: string, fee: string, net: string) => ({ redemptionId, retailer, retailerName: null, amount, fee, net, ...ref(100 + redemptionId) });

/** The fund-flow test's report: 1 + 2 deposited; 1.5 drawn by one redemption, 0.0075 of it in fees. */
function report(overrides: Partial<FundFlowReport> = {}): FundFlowReport {
  return {
    sponsor: "0x2222222222222222222222222222222222222222",
    sponsorName: null,
    fromBlock: 1,
    toBlock: 200,
    period: { from: { blockNumber: 1, at: null }, to: { blockNumber: 200, at: null } },
    totals: { deposited: "3", drawn: "1.5", fees: "0.0075", paidToRetailers: "1.4925", withdrawn: "0", left: "1.5" },
    deposits: [
      { depositId: 1, program: PROGRAM, programName: null, amount: "1", drawn: "1", withdrawn: "0", left: "0", ...ref(10), withdrawal: null, draws: [draw(1, RETAILER, "1", "0.005", "0.995")] },
      { depositId: 2, program: PROGRAM, programName: null, amount: "2", drawn: "0.5", withdrawn: "0", left: "1.5", ...ref(11), withdrawal: null, draws: [draw(1, RETAILER, "0.5", "0.0025", "0.4975")] },
    ],
    programs: [],
    ...overrides,
  };
}

describe("the sponsor's Sankey", () => {
  it("sends every deposited unit to a retailer (net), the fees or what is left", () => {
    const sankey = fundFlowSankey(report(), 6, labels);
    expect(sankey.sources).toEqual([
      { id: "deposit:1", label: "Deposit #1", amount: "1" },
      { id: "deposit:2", label: "Deposit #2", amount: "2" },
    ]);
    expect(sankey.targets).toEqual([
      { id: `retailer:${RETAILER.toLowerCase()}`, label: "Retailer 0xAaAa", amount: "1.4925" },
      { id: "fees", label: "Fees", amount: "0.0075" },
      { id: "left", label: "Left", amount: "1.5" },
    ]);
    const total = (side: "source" | "target", id: string) =>
      sankey.links.filter((l) => l[side] === id).reduce((s, l) => s + l.value, 0);
    expect(total("source", "deposit:1")).toBe(1_000_000);
    expect(total("source", "deposit:2")).toBe(2_000_000);
    expect(total("target", "fees")).toBe(7_500);
    expect(total("target", "left")).toBe(1_500_000);
  });

  it("shows what a withdrawal paid back to the sponsor as a withdrawn flow, not as left", () => {
    const withdrawn = report();
    const second = withdrawn.deposits[1]!;
    Object.assign(second, {
      withdrawn: "1.5",
      left: "0",
      withdrawal: { status: "withdrawn", withdrawableAt: "2026-12-10T00:00:00.000Z", announced: ref(12), withdrawn: { amount: "1.5", ...ref(13) } },
    });
    withdrawn.totals = { ...withdrawn.totals, withdrawn: "1.5", left: "0" };
    const sankey = fundFlowSankey(withdrawn, 6, labels);
    expect(sankey.targets.map((t) => [t.id, t.amount])).toEqual([
      [`retailer:${RETAILER.toLowerCase()}`, "1.4925"],
      ["fees", "0.0075"],
      ["withdrawn", "1.5"],
      ["left", "0"],
    ]);
    expect(sankey.links.filter((l) => l.target === "withdrawn" && l.value > 0)).toEqual([{ source: "deposit:2", target: "withdrawn", value: 1_500_000 }]);
    const layout = layoutSankey(sankey);
    expect(layout.nodes.map((n) => n.id)).toContain("withdrawn");
    expect(layout.nodes.map((n) => n.id)).not.toContain("left");
  });

  it("draws bands proportional to their amounts, stacked without overlap, both columns equally tall", () => {
    const layout = layoutSankey(fundFlowSankey(report(), 6, labels), { flowHeight: 300, minThickness: 0 });
    expect(layout.scale).toBeCloseTo(300 / 3_000_000);
    for (const link of layout.links) expect(link.thickness).toBeCloseTo(link.value * layout.scale);
    const bars = (side: "source" | "target") => layout.nodes.filter((n) => n.side === side);
    const height = (side: "source" | "target") => bars(side).reduce((s, n) => s + n.height, 0);
    expect(height("source")).toBeCloseTo(300);
    expect(height("target")).toBeCloseTo(300);
    for (const side of ["source", "target"] as const) {
      const column = bars(side);
      for (let i = 1; i < column.length; i++) {
        // Bars and their labels each keep to their own slot.
        expect(column[i]!.y).toBeGreaterThanOrEqual(column[i - 1]!.y + column[i - 1]!.height);
        expect(column[i]!.labelY).toBeGreaterThanOrEqual(column[i - 1]!.labelY + 34);
      }
    }
    // Inside each bar its bands fill it exactly, one after another.
    for (const node of layout.nodes) {
      const bands = layout.links
        .filter((l) => (node.side === "source" ? l.source : l.target) === node.id)
        .map((l) => ({ top: node.side === "source" ? l.y0 : l.y1, thickness: l.thickness }))
        .sort((a, b) => a.top - b.top);
      expect(bands[0]!.top).toBeCloseTo(node.y);
      for (let i = 1; i < bands.length; i++) expect(bands[i]!.top).toBeCloseTo(bands[i - 1]!.top + bands[i - 1]!.thickness);
      expect(bands.reduce((s, b) => s + b.thickness, 0)).toBeCloseTo(node.height);
    }
    expect(layout.height).toBeGreaterThanOrEqual(300);
    expect(layout.links[0]!.path).toMatch(/^M10 [\d.]+C/);
  });

  it("keeps a tiny fee visible and leaves out what is zero", () => {
    const layout = layoutSankey(fundFlowSankey(report(), 6, labels), { flowHeight: 100, minThickness: 2 });
    const fees = layout.nodes.find((n) => n.id === "fees")!;
    expect(fees.height).toBeGreaterThanOrEqual(2);
    expect(fees.amount).toBe("0.0075");
    // Deposit 1 has nothing left: no band from it to "left".
    expect(layout.links.some((l) => l.source === "deposit:1" && l.target === "left")).toBe(false);
    expect(layoutSankey({ sources: [], targets: [], links: [] })).toMatchObject({ height: 0, nodes: [], links: [] });
  });

  it("groups many deposits by program and the smallest retailers together", () => {
    const retailers = Array.from({ length: MAX_RETAILERS + 2 }, (_, i) => `0x${String(i + 1).repeat(40).slice(0, 40)}`);
    const deposits = Array.from({ length: 8 }, (_, i) => ({
      depositId: i + 1,
      program: PROGRAM,
      amount: "10",
      drawn: "1",
      withdrawn: "0",
      left: "9",
      withdrawal: null,
      ...ref(10 + i),
      draws: [draw(i + 1, retailers[i % retailers.length]!, "1", "0.01", "0.99")],
    }));
    const sankey = fundFlowSankey(report({ deposits: deposits as FundFlowReport["deposits"] }), 6, labels);
    // 7 retailers, the first paid twice: the 4 largest by name (the twice-paid first), the other 3 together.
    expect(sankey.sources.map((s) => [s.id, s.amount])).toEqual([[`program:${PROGRAM}`, "80"]]);
    const ids = sankey.targets.map((t) => t.id);
    expect(ids).toHaveLength(MAX_RETAILERS + 2);
    expect(ids.at(-3)).toBe("retailer:others");
    expect(sankey.targets[0]).toMatchObject({ id: `retailer:${retailers[0]}`, amount: "1.98" });
    expect(sankey.targets.at(-3)).toMatchObject({ label: "3 other retailers", amount: "2.97" });
  });
});

describe("kg by ISO week", () => {
  it("adds kg per week and material, leaves out reversed credits and counts bonuses as no weight", () => {
    const credit = (week: string, material: string, kg: string, reversed = false) => ({
      eventId: 1, material, point: "P", week, kg, tokens: "1", bonusOf: null,
      reversal: reversed ? { txHash: "0x", blockNumber: 1 } : null, txHash: "0x", blockNumber: 1,
    });
    const collections = {
      count: 0, kg: "0", tokens: "0", reversed: { count: 0, kg: "0", tokens: "0" }, byMaterial: [], byPoint: [], byWeek: [],
      credits: [credit("2026-W48", "PET", "60"), credit("2026-W47", "HDPE", "2"), credit("2026-W48", "HDPE", "0.5"), credit("2026-W48", "PET", "0"), credit("2026-W48", "PET", "0.2", true)],
    };
    const weekly = weeklyKg(report({ programs: [{ program: PROGRAM, solvency: null, collections }] as unknown as FundFlowReport["programs"] }));
    expect(weekly).toEqual({ weeks: ["2026-W47", "2026-W48"], materials: ["HDPE", "PET"], grams: [[2000, 0], [500, 60000]], reversedGrams: 200 });
  });
});
