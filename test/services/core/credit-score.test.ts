import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  combine,
  creditScore,
  FACTOR_ORDER,
  type CreditLedger,
  type FactorName,
  type LedgerCredit,
  type LedgerPayment,
} from "../../../services/core/credit-score.js";

const DAY = 86_400_000;
const asOf = new Date("2026-11-25T12:00:00Z");
const daysAgo = (days: number) => new Date(asOf.getTime() - days * DAY);
const TOKEN = 10n ** 18n;

const credit = fc.record({
  at: fc.integer({ min: 0, max: 800 * DAY }).map((ms) => new Date(asOf.getTime() - ms)),
  tokens: fc.bigInt({ min: 0n, max: 1000n * TOKEN }),
});
const payment = fc.record({
  at: fc.integer({ min: 0, max: 400 * DAY }).map((ms) => new Date(asOf.getTime() - ms)),
  status: fc.constantFrom<LedgerPayment["status"]>("pending", "submitted", "confirmed", "failed"),
});
const ledger: fc.Arbitrary<CreditLedger> = fc.record({
  credits: fc.array(credit, { maxLength: 60 }),
  payments: fc.array(payment, { maxLength: 20 }),
});
const factorValues = fc.record(
  Object.fromEntries(FACTOR_ORDER.map((name) => [name, fc.integer({ min: 0, max: 1000 })])) as Record<FactorName, fc.Arbitrary<number>>,
);

const valueOf = (result: ReturnType<typeof creditScore>, name: FactorName) => result.factors.find((f) => f.name === name)!.value;

describe("credit score", () => {
  it("stays within 0..1000 with every factor within 0..1000 and weights summing to 100", () => {
    fc.assert(
      fc.property(ledger, (l) => {
        const result = creditScore(l, asOf);
        expect(Number.isInteger(result.score)).toBe(true);
        expect(result.score).toBeGreaterThanOrEqual(0);
        expect(result.score).toBeLessThanOrEqual(1000);
        for (const f of result.factors) expect(f.value >= 0 && f.value <= 1000 && Number.isInteger(f.value)).toBe(true);
        expect(result.factors.reduce((sum, f) => sum + f.weight, 0)).toBe(100);
        expect(result.score).toBe(combine(Object.fromEntries(result.factors.map((f) => [f.name, f.value])) as Record<FactorName, number>));
      }),
    );
  });

  it("never falls when any one factor rises", () => {
    fc.assert(
      fc.property(factorValues, fc.constantFrom(...FACTOR_ORDER), fc.integer({ min: 0, max: 1000 }), (values, name, raise) => {
        const higher = { ...values, [name]: Math.min(1000, values[name] + raise) };
        expect(combine(higher)).toBeGreaterThanOrEqual(combine(values));
      }),
    );
    expect(combine({ tenure: 0, regularity: 0, volumeTrend: 0, paymentBehaviour: 0 })).toBe(0);
    expect(combine({ tenure: 1000, regularity: 1000, volumeTrend: 1000, paymentBehaviour: 1000 })).toBe(1000);
  });

  it("does not fall with an older first credit, a settled payment or a credit in the current week, nor rise with a failed payment", () => {
    fc.assert(
      fc.property(ledger, fc.integer({ min: 85, max: 2000 }), (l, oldDays) => {
        const base = creditScore(l, asOf).score;
        const old: LedgerCredit = { at: daysAgo(oldDays), tokens: TOKEN };
        expect(creditScore({ ...l, credits: [...l.credits, old] }, asOf).score).toBeGreaterThanOrEqual(base);
        const settled: LedgerPayment = { at: daysAgo(1), status: "confirmed" };
        expect(creditScore({ ...l, payments: [...l.payments, settled] }, asOf).score).toBeGreaterThanOrEqual(base);
        const failed: LedgerPayment = { at: daysAgo(1), status: "failed" };
        expect(creditScore({ ...l, payments: [...l.payments, failed] }, asOf).score).toBeLessThanOrEqual(base);
        const now: LedgerCredit = { at: daysAgo(0), tokens: TOKEN };
        expect(creditScore({ ...l, credits: [...l.credits, now] }, asOf).score).toBeGreaterThanOrEqual(base);
      }),
    );
  });

  it("is deterministic and ignores order and whatever happened after asOf", () => {
    fc.assert(
      fc.property(ledger, fc.array(credit, { maxLength: 5 }), (l, later) => {
        const result = creditScore(l, asOf);
        const future = later.map((c) => ({ ...c, at: new Date(2 * asOf.getTime() - c.at.getTime() + 1) }));
        const shuffled = { credits: [...future, ...l.credits].reverse(), payments: [...l.payments].reverse() };
        expect(creditScore(shuffled, asOf)).toEqual(result);
        expect(creditScore(l, new Date(asOf))).toEqual(result);
      }),
    );
  });

  it("scores a new collector low: one credit yesterday, no payments", () => {
    const result = creditScore({ credits: [{ at: daysAgo(1), tokens: 10n * TOKEN }], payments: [] }, asOf);
    expect(result.score).toBeLessThan(300);
    expect(valueOf(result, "tenure")).toBe(2);
    expect(valueOf(result, "paymentBehaviour")).toBe(500);
    expect(creditScore({ credits: [], payments: [] }, asOf).score).toBe(125); // only the neutral payment factor
  });

  it("scores a steady collector high: weekly credits for a year and settled payments", () => {
    const credits = Array.from({ length: 53 }, (_, week) => ({ at: daysAgo(week * 7 + 2), tokens: 10n * TOKEN }));
    const payments = Array.from({ length: 10 }, (_, i) => ({ at: daysAgo(i * 10), status: "confirmed" as const }));
    const result = creditScore({ credits, payments }, asOf);
    expect(result.factors.map((f) => [f.name, f.value])).toEqual([
      ["tenure", 1000],
      ["regularity", 1000],
      ["volumeTrend", 500],
      ["paymentBehaviour", 916],
    ]);
    expect(result.score).toBe(904);
    expect(result.factors[2]!.explanation).toBe("weekly volume of the last 4 weeks is 100% of the 8 weeks before");
  });

  it("does not count a credit reversed in full as activity", () => {
    const reversed = creditScore({ credits: [{ at: daysAgo(200), tokens: 0n }], payments: [] }, asOf);
    expect(reversed).toEqual(creditScore({ credits: [], payments: [] }, asOf));
  });
});
