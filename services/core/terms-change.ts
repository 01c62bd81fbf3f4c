/**
 * A change of a program's terms (rates, rules with their campaigns, caps, bonus share): read against the terms the
 * program has now and checked by the same rules as a creation request. Pure: the flow locks the row and writes.
 */
import { formatTokenAmount } from "./amounts.js";
import type { LoyaltyRules, RecyclingRates } from "./earning.js";
import type { Caps } from "./fraud.js";
import { programTerms, type ProgramTermsInput } from "./program-terms.js";

/** What a program earns by, in base units. */
export interface ProgramTerms {
  rates: RecyclingRates;
  rules: LoyaltyRules;
  caps: Caps;
  bonusShareBps: number;
}

/** The change as the API takes it: any part of the terms; a part left out stays as it is. */
export type TermsChangeInput = Omit<ProgramTermsInput, "kind">;

/** The terms as the API shows them, and as the history keeps them: token units, ISO times. */
export interface TermsJson {
  rates: Record<string, string>;
  rules: {
    events: Record<string, { fixed?: string; perUnit?: string }>;
    campaigns: { name: string; from: string; to: string; multiplierBps: number; types?: string[] }[];
  };
  caps: Record<string, string>;
  bonusShareBps: number;
}

const tokenUnits = (record: Record<string, bigint | undefined>): Record<string, string> =>
  Object.fromEntries(Object.entries(record).flatMap(([key, value]) => (value === undefined ? [] : [[key, formatTokenAmount(value)]])));

export function termsJson(terms: ProgramTerms): TermsJson {
  return {
    rates: tokenUnits(terms.rates),
    rules: {
      events: Object.fromEntries(Object.entries(terms.rules.events).map(([type, rule]) => [type, tokenUnits({ ...rule })])),
      campaigns: (terms.rules.campaigns ?? []).map((c) => ({
        name: c.name,
        from: c.from.toISOString(),
        to: c.to.toISOString(),
        multiplierBps: c.multiplierBps,
        ...(c.types ? { types: c.types } : {}),
      })),
    },
    caps: tokenUnits({ ...terms.caps }),
    bonusShareBps: terms.bonusShareBps,
  };
}

/**
 * The terms after `change`: the parts it gives replace the program's, checked against its kind exactly as at
 * creation (rates for a recycling program, rules for a loyalty one, campaigns that end after they start, amounts
 * in range). Caps given without `perIssuerDaily` get a recycling program's default, as at creation; caps left out
 * stay as they are, a bound left off on purpose included.
 */
export function changedTerms(kind: ProgramTermsInput["kind"], current: ProgramTerms, change: TermsChangeInput): ProgramTerms {
  const now = termsJson(current);
  const input: ProgramTermsInput = {
    kind,
    ...(change.rates !== undefined ? { rates: change.rates } : kind === "recycling" ? { rates: now.rates } : {}),
    ...(change.rules !== undefined ? { rules: change.rules } : kind === "loyalty" ? { rules: now.rules } : {}),
    caps: change.caps ?? { ...now.caps, perIssuerDaily: now.caps.perIssuerDaily ?? null },
    bonusShareBps: change.bonusShareBps ?? current.bonusShareBps,
  };
  return { ...programTerms(input), bonusShareBps: input.bonusShareBps! };
}

/** Whether two terms say the same, whatever order their keys came in (jsonb keeps its own order). */
export function sameTerms(a: TermsJson, b: TermsJson): boolean {
  const canonical = (value: unknown): unknown =>
    Array.isArray(value)
      ? value.map(canonical)
      : value !== null && typeof value === "object"
        ? Object.fromEntries(Object.entries(value).sort(([x], [y]) => (x < y ? -1 : x > y ? 1 : 0)).map(([k, v]) => [k, canonical(v)]))
        : value;
  return JSON.stringify(canonical(a)) === JSON.stringify(canonical(b));
}
