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
  caps?: Record<string, string | undefined>;
  bonusShareBps?: number;
}

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
    Object.entries(body.caps ?? {}).map(([name, value]) => [name, parseTokenAmount(value as string, `caps.${name}`)]),
  );
  return { rates, rules, caps };
}

