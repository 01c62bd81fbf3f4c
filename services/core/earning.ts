import { MAX_UINT256 } from "./amounts.js";
import { badRequest } from "./errors.js";
import type { Material } from "./materials.js";

/** Token base units paid per kilogram of each material a recycling program accepts. */
export type RecyclingRates = Partial<Record<Material, bigint>>;

/** How a brand's event types earn: a fixed amount, or an amount per unit of the event's `value`. */
export interface LoyaltyEventRule {
  fixed?: bigint;
  perUnit?: bigint;
}

/** A time-boxed boost; `multiplierBps` 20,000 doubles. Applies to `types`, or to every type when absent. */
export interface Campaign {
  name: string;
  from: Date;
  to: Date;
  multiplierBps: number;
  types?: string[];
}

export interface LoyaltyRules {
  events: Record<string, LoyaltyEventRule>;
  campaigns?: Campaign[];
}

const GRAMS_PER_KG = 1_000n;
const BPS = 10_000n;
const VALUE_UNIT = 10n ** 18n;

/**
 * tokens = grams × rate / 1000, in base units. With 18-decimal tokens the only rounding is below one
 * base unit (10^-18 token), and it is down, so the network never credits more than the rate says.
 */
export function recyclingCredit(rates: RecyclingRates, material: Material, grams: bigint): bigint {
  const rate = rates[material];
  if (rate === undefined) {
    throw badRequest("RC_MATERIAL_NOT_ACCEPTED", `this program does not pay for ${material}`, { material });
  }
  return mintable((grams * rate) / GRAMS_PER_KG);
}

/**
 * Splits a drop-off's credit into what is minted now and the bonus held until its lot is confirmed. The
 * bonus rounds down, so `now + bonus` is always exactly `credit` and the collector never loses a unit.
 */
export function splitBonus(credit: bigint, bonusShareBps: number): { now: bigint; bonus: bigint } {
  const bonus = (credit * BigInt(bonusShareBps)) / 10_000n;
  return { now: credit - bonus, bonus };
}

/**
 * The credit of a loyalty event of `type` at time `at`. `value` (base units of 10^-18, e.g. a purchase
 * amount) is required by per-unit rules. The best active campaign applies; campaigns do not compound.
 */
export function loyaltyCredit(
  rules: LoyaltyRules,
  type: string,
  value: bigint | undefined,
  at: Date,
): { credit: bigint; campaign: string | undefined } {
  // hasOwn: "constructor" and the other Object.prototype names are valid type names but never rules.
  const rule = Object.hasOwn(rules.events, type) ? rules.events[type] : undefined;
  if (!rule) throw badRequest("RC_EVENT_TYPE_UNKNOWN", `this program has no rule for "${type}" events`, { type });
  let credit = rule.fixed ?? 0n;
  if (rule.perUnit !== undefined) {
    if (value === undefined) throw badRequest("RC_VALUE_REQUIRED", `"${type}" events earn per unit of value`);
    credit += (rule.perUnit * value) / VALUE_UNIT;
  }
  const campaign = bestCampaign(rules.campaigns ?? [], type, at);
  if (campaign) credit = (credit * BigInt(campaign.multiplierBps)) / BPS;
  return { credit: mintable(credit), campaign: campaign?.name };
}

/** A credit the token can mint: beyond uint256 it would neither fit the events table nor encode in mintBatch. */
function mintable(credit: bigint): bigint {
  if (credit > MAX_UINT256) throw badRequest("RC_CREDIT_TOO_LARGE", "this event would credit more than a uint256 holds");
  return credit;
}

function bestCampaign(campaigns: Campaign[], type: string, at: Date): Campaign | undefined {
  const time = at.getTime();
  return campaigns
    .filter((c) => c.from.getTime() <= time && time < c.to.getTime() && (!c.types || c.types.includes(type)))
    .reduce<Campaign | undefined>((best, c) => (!best || c.multiplierBps > best.multiplierBps ? c : best), undefined);
}

/**
 * The largest credit one event may carry, in base units: 2^192. Event ids are bigint database ids (fewer than
 * 2^63 events, bonuses included), so the credits of every event a program could ever have stay below 2^255,
 * and a token's totalSupply (a uint256) cannot overflow whatever is accepted. A batch that overflows would
 * revert, and keep reverting, for every event in it.
 */
export const MAX_CREDIT = 2n ** 192n;
