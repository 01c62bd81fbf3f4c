import { formatDecimal, parseDecimal } from "../../../services/core/amounts.js";
import type { FundFlow } from "../../../services/api/client/types.js";
import type { SankeyInput, SankeyNode } from "./sankey-layout.js";

/**
 * The report reshaped for the sponsor's pictures, without a DOM or i18n (the words come in `labels`): money as
 * base units summed exactly with bigint, drawn in proportion; kg per ISO week and material.
 */

export type Report = FundFlow;

export interface FlowLabels {
  deposit(id: number): string;
  program(address: string): string;
  retailer(address: string): string;
  otherRetailers(count: number): string;
  fees: string;
  withdrawn: string;
  left: string;
}

/** Above this many deposits the picture shows one source per program; above this many retailers, the rest as one. */
export const MAX_SOURCES = 6;
export const MAX_RETAILERS = 5;

const sum = (values: bigint[]) => values.reduce((a, b) => a + b, 0n);

/**
 * Deposits (or programs) → retailers paid (net of fees), fees, what went back to the sponsor by a withdrawal,
 * and what is left. Every unit deposited flows to exactly one target (amount = net + fee + withdrawn + left
 * for each deposit), so both columns hold the same total.
 */
export function fundFlowSankey(report: Report, decimals: number, labels: FlowLabels): SankeyInput {
  const units = (text: string) => parseDecimal(text, decimals);
  const show = (value: bigint) => formatDecimal(value, decimals);
  const perDeposit = report.deposits.length <= MAX_SOURCES;
  const sourceOf = (d: Report["deposits"][number]) => (perDeposit ? `deposit:${d.depositId}` : `program:${d.program.toLowerCase()}`);

  const sources = new Map<string, { label: string; value: bigint }>();
  const flows = new Map<string, bigint>(); // "source|target" → base units
  const add = (source: string, target: string, value: bigint) =>
    flows.set(`${source}|${target}`, (flows.get(`${source}|${target}`) ?? 0n) + value);
  const netTo = new Map<string, bigint>();
  for (const d of report.deposits) {
    const source = sourceOf(d);
    const label = perDeposit ? labels.deposit(d.depositId) : labels.program(d.program);
    sources.set(source, { label, value: (sources.get(source)?.value ?? 0n) + units(d.amount) });
    for (const draw of d.draws) {
      const retailer = draw.retailer.toLowerCase();
      netTo.set(retailer, (netTo.get(retailer) ?? 0n) + units(draw.net));
      add(source, `retailer:${retailer}`, units(draw.net));
      add(source, "fees", units(draw.fee));
    }
    add(source, "withdrawn", units(d.withdrawn));
    add(source, "left", units(d.left));
  }

  // The biggest retailers by name, the others together: a phone has room for a handful of rows.
  const ranked = [...netTo].sort(([, a], [, b]) => (a === b ? 0 : a > b ? -1 : 1));
  const shown = ranked.length <= MAX_RETAILERS ? ranked : ranked.slice(0, MAX_RETAILERS - 1);
  const others = ranked.slice(shown.length);
  const retailerTarget = new Map(ranked.map(([r]) => [`retailer:${r}`, others.some(([o]) => o === r) ? "retailer:others" : `retailer:${r}`]));
  const displayed = new Map(ranked.map(([r]) => [r, report.deposits.flatMap((d) => d.draws).find((x) => x.retailer.toLowerCase() === r)!.retailer]));

  const merged = new Map<string, bigint>();
  for (const [key, value] of flows) {
    const [source, target] = key.split("|") as [string, string];
    const into = retailerTarget.get(target) ?? target;
    merged.set(`${source}|${into}`, (merged.get(`${source}|${into}`) ?? 0n) + value);
  }
  const targetTotal = (target: string) => sum([...merged].filter(([k]) => k.endsWith(`|${target}`)).map(([, v]) => v));
  const targets: SankeyNode[] = [
    ...shown.map(([r, value]) => ({ id: `retailer:${r}`, label: labels.retailer(displayed.get(r)!), amount: show(value) })),
    ...(others.length ? [{ id: "retailer:others", label: labels.otherRetailers(others.length), amount: show(targetTotal("retailer:others")) }] : []),
    { id: "fees", label: labels.fees, amount: show(targetTotal("fees")) },
    // Only once a withdrawal has paid something back: most sponsors never withdraw.
    ...(targetTotal("withdrawn") > 0n ? [{ id: "withdrawn", label: labels.withdrawn, amount: show(targetTotal("withdrawn")) }] : []),
    { id: "left", label: labels.left, amount: show(targetTotal("left")) },
  ];
  return {
    sources: [...sources].map(([id, s]) => ({ id, label: s.label, amount: show(s.value) })),
    targets,
    links: [...merged].map(([key, value]) => {
      const [source, target] = key.split("|") as [string, string];
      return { source, target, value: Number(value) };
    }),
  };
}

export interface WeeklyKg {
  /** ISO weeks in order, e.g. "2026-W48". */
  weeks: string[];
  materials: string[];
  /** grams[w][m]: grams of materials[m] collected in weeks[w], reversed credits left out. */
  grams: number[][];
  /** Grams credited and then reversed (a mistaken weighing): not drawn. */
  reversedGrams: number;
}

/** kg by material and ISO week from the report's credited collections (a bonus weighs nothing: 0 kg). */
export function weeklyKg(report: Report): WeeklyKg {
  const credits = report.programs.flatMap((p) => p.collections.credits);
  const kept = credits.filter((c) => c.reversal === null);
  const weeks = [...new Set(kept.map((c) => c.week))].sort();
  const materials = [...new Set(kept.map((c) => c.material))].sort();
  const grams = weeks.map(() => materials.map(() => 0));
  for (const c of kept) grams[weeks.indexOf(c.week)]![materials.indexOf(c.material)]! += Number(parseDecimal(c.kg, 3));
  const reversedGrams = credits.filter((c) => c.reversal !== null).reduce((s, c) => s + Number(parseDecimal(c.kg, 3)), 0);
  return { weeks, materials, grams, reversedGrams };
}

/**
 * Whether a newer report says anything the shown one does not. Each read ends at the indexer's checkpoint, so
 * `toBlock` (the period's end, its time, and the block the solvency was read at) moves with every block even
 * when nothing happened; a report that differs only there is not news, and the shown one (with any chain check
 * made of it) stays.
 */
export function sameFigures(a: Report, b: Report): boolean {
  const figures = (r: Report) =>
    JSON.stringify({
      ...r,
      toBlock: undefined,
      period: r.period && { ...r.period, to: undefined },
      programs: r.programs.map((p) => ({ ...p, solvency: p.solvency && { ...p.solvency, blockNumber: undefined } })),
    });
  return figures(a) === figures(b);
}
