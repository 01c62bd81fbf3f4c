/**
 * A collector's credit score, 0..1000, from their ledger alone, as of a given instant. Pure and explainable:
 * a lender sees every factor with its value, its weight and a sentence, and can recompute the score.
 *
 * Each factor is an integer value from 0 to 1000; the weights are integers summing to 100;
 *
 *   score = floor(Σ value × weight / 100)
 *
 * so the score is in 0..1000 and never falls when any factor rises. The factors (W = 7 days, windows end
 * at `asOf`; week 0 is (asOf − 7d, asOf], week 11 is the oldest of the last twelve):
 *
 * - tenure (25): days from the first credit to asOf, min(days, 365) × 1000 / 365. Saturates after a year:
 *   an old account is trusted, but age alone should not outweigh what the collector does now.
 * - regularity (35): weeks of the last 12 with at least one credit, × 1000 / 12. The heaviest factor: a
 *   steady income is what makes a small loan repayable.
 * - volume trend (15): tokens credited in the last 4 weeks (r) against the previous 8 (p), as weekly rates:
 *   1000 × (r/4) / (r/4 + p/8) = 1000 × 2r / (2r + p). Steady volume gives 500, growth up to 1000, a
 *   stop 0; no volume in 12 weeks gives 0; volume only in the last 4 weeks (no baseline) is neutral, 500.
 *   A ratio rather than a size, so it does not favour big collectors.
 * - payment behaviour (25): payments out, settled (s) and failed (f), smoothed as 1000 × (s + 1) / (s + f + 2)
 *   (Laplace's rule): no payments is neutral (500), one failure among many settled costs little. Pending
 *   payments count for nothing until they end.
 *
 * Reversals: the caller passes each credit net of what was reversed of it; a credit reversed in full
 * (tokens 0) is no activity at all, so a mistaken weighing neither builds tenure nor regularity.
 * Everything after asOf is ignored, so a statement "as of" a past date can be recomputed later.
 * Integer arithmetic throughout (bigint for tokens), so the same ledger always gives the same score.
 */

export interface LedgerCredit {
  at: Date;
  /** Token base units credited and not reversed. */
  tokens: bigint;
}

export interface LedgerPayment {
  at: Date;
  status: "pending" | "submitted" | "included" | "confirmed" | "failed";
}

export interface CreditLedger {
  /** Confirmed credits to the collector (collections and loyalty), any order. */
  credits: readonly LedgerCredit[];
  /** Payments the collector signed (as payer), any order. */
  payments: readonly LedgerPayment[];
}

export type FactorName = "tenure" | "regularity" | "volumeTrend" | "paymentBehaviour";

export interface Factor {
  name: FactorName;
  /** 0..1000. */
  value: number;
  /** Percent of the score; the weights sum to 100. */
  weight: number;
  explanation: string;
}

export interface CreditScore {
  score: number;
  asOf: Date;
  factors: Factor[];
}

/** Factor order is part of the signed factors hash (credit-statement.ts): never reorder, only append. */
export const FACTOR_WEIGHTS: Readonly<Record<FactorName, number>> = {
  tenure: 25,
  regularity: 35,
  volumeTrend: 15,
  paymentBehaviour: 25,
};
export const FACTOR_ORDER: readonly FactorName[] = ["tenure", "regularity", "volumeTrend", "paymentBehaviour"];

export const MAX_SCORE = 1000;
export const TENURE_FULL_DAYS = 365;
export const REGULARITY_WEEKS = 12;
const RECENT_WEEKS = 4;
const DAY_MS = 86_400_000;
const WEEK_MS = 7 * DAY_MS;

/** Combines factor values (0..1000 each) with their weights: monotone in each value, bounded to 0..1000. */
export function combine(values: Readonly<Record<FactorName, number>>): number {
  let sum = 0;
  for (const name of FACTOR_ORDER) {
    const value = Math.min(MAX_SCORE, Math.max(0, Math.floor(values[name])));
    sum += value * FACTOR_WEIGHTS[name];
  }
  return Math.floor(sum / 100);
}

function tenure(credits: readonly LedgerCredit[], asOfMs: number): Omit<Factor, "name" | "weight"> {
  if (credits.length === 0) return { value: 0, explanation: "no credit yet" };
  // A loop, not Math.min(...spread): a long ledger would overflow the argument stack.
  const first = credits.reduce((min, c) => Math.min(min, c.at.getTime()), Infinity);
  const days = Math.floor((asOfMs - first) / DAY_MS);
  return {
    value: Math.floor((Math.min(days, TENURE_FULL_DAYS) * MAX_SCORE) / TENURE_FULL_DAYS),
    explanation: `first credit ${days} day${days === 1 ? "" : "s"} ago (full marks from ${TENURE_FULL_DAYS})`,
  };
}

/** Week index back from asOf (0 = the last 7 days), or -1 past the 12 weeks considered. */
function weekOf(at: Date, asOfMs: number): number {
  const week = Math.floor((asOfMs - at.getTime()) / WEEK_MS);
  return week < REGULARITY_WEEKS ? week : -1;
}

function regularity(credits: readonly LedgerCredit[], asOfMs: number): Omit<Factor, "name" | "weight"> {
  const weeks = new Set(credits.map((c) => weekOf(c.at, asOfMs)).filter((w) => w >= 0));
  return {
    value: Math.floor((weeks.size * MAX_SCORE) / REGULARITY_WEEKS),
    explanation: `credits in ${weeks.size} of the last ${REGULARITY_WEEKS} weeks`,
  };
}

function volumeTrend(credits: readonly LedgerCredit[], asOfMs: number): Omit<Factor, "name" | "weight"> {
  let recent = 0n;
  let previous = 0n;
  for (const credit of credits) {
    const week = weekOf(credit.at, asOfMs);
    if (week < 0) continue;
    if (week < RECENT_WEEKS) recent += credit.tokens;
    else previous += credit.tokens;
  }
  if (recent === 0n && previous === 0n) return { value: 0, explanation: `no credits in the last ${REGULARITY_WEEKS} weeks` };
  // Without a baseline there is no trend to speak of: neutral, so a newcomer is not paid for "growth" from nothing.
  if (previous === 0n) return { value: 500, explanation: "credits only in the last 4 weeks: no earlier volume to compare (neutral)" };
  // Exact in bigint (token sums exceed 2^53); the quotient is at most 1000, so Number() is exact.
  const value = Number((BigInt(MAX_SCORE) * 2n * recent) / (2n * recent + previous));
  return { value, explanation: `weekly volume of the last 4 weeks is ${Number((200n * recent) / previous)}% of the 8 weeks before` };
}

function paymentBehaviour(payments: readonly LedgerPayment[]): Omit<Factor, "name" | "weight"> {
  const settled = payments.filter((p) => p.status === "confirmed").length;
  const failed = payments.filter((p) => p.status === "failed").length;
  return {
    value: Math.floor((MAX_SCORE * (settled + 1)) / (settled + failed + 2)),
    explanation:
      settled + failed === 0 ? "no payments yet (neutral)" : `${settled} payment(s) settled, ${failed} failed`,
  };
}

/** The score of `ledger` as of `asOf`: what was recorded after it is left out. */
export function creditScore(ledger: CreditLedger, asOf: Date): CreditScore {
  const asOfMs = asOf.getTime();
  // Nothing after asOf, and nothing that was reversed in full (or is not a credit at all).
  const credits = ledger.credits.filter((c) => c.at.getTime() <= asOfMs && c.tokens > 0n);
  const payments = ledger.payments.filter((p) => p.at.getTime() <= asOfMs);
  const parts: Record<FactorName, Omit<Factor, "name" | "weight">> = {
    tenure: tenure(credits, asOfMs),
    regularity: regularity(credits, asOfMs),
    volumeTrend: volumeTrend(credits, asOfMs),
    paymentBehaviour: paymentBehaviour(payments),
  };
  const factors = FACTOR_ORDER.map((name) => ({ name, value: parts[name].value, weight: FACTOR_WEIGHTS[name], explanation: parts[name].explanation }));
  const score = combine({
    tenure: parts.tenure.value,
    regularity: parts.regularity.value,
    volumeTrend: parts.volumeTrend.value,
    paymentBehaviour: parts.paymentBehaviour.value,
  });
  return { score, asOf, factors };
}
