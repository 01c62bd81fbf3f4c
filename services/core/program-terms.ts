/**
 * A program's earning terms from its creation request: checked against its kind, amounts in base units.
 * Pure, so the request is checked before anything is recorded and read the same way when the chain answers.
 */
import { parseTokenAmount } from "./amounts.js";
import type { Campaign, LoyaltyRules, RecyclingRates } from "./earning.js";
import { badRequest } from "./errors.js";
import type { Caps } from "./fraud.js";

/** The terms part of a program's creation request, as the API's schema admits it. */
export interface ProgramTermsInput {
  kind: "recycling" | "loyalty";
  rates?: Record<string, string | undefined>;
  rules?: {
    events?: Record<string, { fixed?: string; perUnit?: string }>;
    campaigns?: (Omit<Campaign, "from" | "to"> & { from: string; to: string })[];
  };
  /** A cap given as null is none, on purpose (a recycling program's perIssuerDaily otherwise gets its default). */
  caps?: Record<string, string | null | undefined>;
  bonusShareBps?: number;
}

/**
 * A recycling program created without `caps.perIssuerDaily` bounds what one point may credit in a UTC day to this
 * many kilograms at the program's best rate: a point that credits wallets it controls is held for review past a
 * tonne a day instead of minting without end. `perIssuerDaily: null` asks for no bound, on purpose.
 */
export const DEFAULT_ISSUER_DAILY_KG = 1_000n;

/** Checks the body against its kind and turns its amounts into base units. */
export function programTerms(body: ProgramTermsInput) {
  if (body.kind === "recycling") {
    if (body.rules) throw badRequest("RC_RULES_FOR_RECYCLING", "recycling programs earn by rates, not rules");
    if (!body.rates || Object.keys(body.rates).length === 0) {
      throw badRequest("RC_RATES_REQUIRED", "a recycling program needs a rate for at least one material");
    }
  } else {
    if (body.rates) throw badRequest("RC_RATES_FOR_LOYALTY", "loyalty programs earn by rules, not rates");
    // Only drop-offs go into lots, so a loyalty credit would have no lot to release its bonus.
    if (body.bonusShareBps) throw badRequest("RC_BONUS_FOR_LOYALTY", "only recycling programs hold a bonus");
    if (!body.rules) throw badRequest("RC_RULES_REQUIRED", "a loyalty program needs rules for its event types");
  }
  const rates: RecyclingRates = Object.fromEntries(
    Object.entries(body.rates ?? {}).map(([material, rate]) => [material, parseTokenAmount(rate as string, `rates.${material}`)]),
  );
  const rules: LoyaltyRules = { events: {}, campaigns: [] };
  for (const [type, rule] of Object.entries(body.rules?.events ?? {})) {
    if (rule.fixed === undefined && rule.perUnit === undefined) {
      throw badRequest("RC_RULE_EMPTY", `rules.events.${type} needs fixed or perUnit`);
    }
    rules.events[type] = {
      ...(rule.fixed !== undefined ? { fixed: parseTokenAmount(rule.fixed, `rules.events.${type}.fixed`) } : {}),
      ...(rule.perUnit !== undefined ? { perUnit: parseTokenAmount(rule.perUnit, `rules.events.${type}.perUnit`) } : {}),
    };
  }
  for (const campaign of body.rules?.campaigns ?? []) {
    const from = new Date(campaign.from);
    const to = new Date(campaign.to);
    if (!(from < to)) throw badRequest("RC_CAMPAIGN_WINDOW", `campaign "${campaign.name}" must end after it starts`);
    rules.campaigns!.push({ ...campaign, from, to });
  }
  const caps: Caps = Object.fromEntries(
    Object.entries(body.caps ?? {})
      .filter(([, value]) => value !== null && value !== undefined)
      .map(([name, value]) => [name, parseTokenAmount(value as string, `caps.${name}`)]),
  );
  if (body.kind === "recycling" && body.caps?.perIssuerDaily === undefined) {
    const best = Object.values(rates).reduce((max, rate) => (rate > max ? rate : max), 0n);
    caps.perIssuerDaily = best * DEFAULT_ISSUER_DAILY_KG;
  }
  return { rates, rules, caps };
}

