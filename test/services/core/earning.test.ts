import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  loyaltyCredit,
  recyclingCredit,
  splitBonus,
  type Campaign,
  type LoyaltyRules,
  type RecyclingRates,
} from "../../../services/core/earning.js";
import { RecircleError } from "../../../services/core/errors.js";

const TOKEN = 10n ** 18n;
const RATES: RecyclingRates = { PET: (5n * TOKEN) / 2n, ALUMINIUM: 10n * TOKEN, GLASS: 1n };

function coded(run: () => unknown, code: string) {
  expect(run).toThrow(RecircleError);
  expect(run).toThrow(expect.objectContaining({ code, statusCode: 400 }));
}

describe("recyclingCredit", () => {
  it("pays grams × rate / 1000 in base units: 1500 g of PET at 2.5 tokens/kg is 3.75 tokens", () => {
    expect(recyclingCredit(RATES, "PET", 1_500n)).toBe(3_750_000_000_000_000_000n);
  });

  it("pays the rate for a whole kilogram and nothing for zero grams", () => {
    expect(recyclingCredit(RATES, "ALUMINIUM", 1_000n)).toBe(10n * TOKEN);
    expect(recyclingCredit(RATES, "PET", 0n)).toBe(0n);
  });

  it("rounds down below one base unit", () => {
    // 1 base unit per kg: 999 g earn nothing, 1999 g earn 1.
    expect(recyclingCredit(RATES, "GLASS", 999n)).toBe(0n);
    expect(recyclingCredit(RATES, "GLASS", 1_999n)).toBe(1n);
  });

  it("refuses a material the program does not pay for", () => {
    coded(() => recyclingCredit(RATES, "PVC", 1_000n), "RC_MATERIAL_NOT_ACCEPTED");
    expect(() => recyclingCredit(RATES, "PVC", 1_000n)).toThrow(
      expect.objectContaining({ details: { material: "PVC" } }),
    );
  });

  it("pays a zero rate as zero rather than refusing it", () => {
    expect(recyclingCredit({ PAPER: 0n }, "PAPER", 5_000n)).toBe(0n);
  });

  it("loses at most one base unit by splitting a drop-off in two, and never gains", () => {
    const grams = fc.bigInt({ min: 0n, max: 10n ** 9n });
    const rate = fc.bigInt({ min: 0n, max: 10n ** 24n });
    fc.assert(
      fc.property(rate, grams, grams, (r, g1, g2) => {
        const rates: RecyclingRates = { PET: r };
        const split = recyclingCredit(rates, "PET", g1) + recyclingCredit(rates, "PET", g2);
        const whole = recyclingCredit(rates, "PET", g1 + g2);
        expect(split).toBeLessThanOrEqual(whole);
        expect(whole).toBeLessThanOrEqual(split + 1n);
      }),
    );
  });

  it("never credits more than the exact amount, nor a whole base unit less", () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: 10n ** 24n }), fc.bigInt({ min: 0n, max: 10n ** 9n }), (r, g) => {
        const credit = recyclingCredit({ PET: r }, "PET", g);
        expect(credit * 1_000n).toBeLessThanOrEqual(g * r);
        expect((credit + 1n) * 1_000n).toBeGreaterThan(g * r);
      }),
    );
  });
});

const JUNE_1 = new Date("2025-06-01T00:00:00Z");
const JULY_1 = new Date("2025-07-01T00:00:00Z");
const campaign = (name: string, multiplierBps: number, types?: string[]): Campaign => ({
  name,
  from: JUNE_1,
  to: JULY_1,
  multiplierBps,
  ...(types ? { types } : {}),
});
const rules = (campaigns: Campaign[] = []): LoyaltyRules => ({
  events: {
    review: { fixed: 5n * TOKEN },
    purchase: { perUnit: TOKEN / 10n }, // 0.1 token per unit of value
    visit: { fixed: TOKEN, perUnit: TOKEN / 100n },
  },
  campaigns,
});
const MID_JUNE = new Date("2025-06-15T12:00:00Z");

describe("splitBonus", () => {
  it("holds the bonus share and mints the rest, losing no unit to rounding", () => {
    expect(splitBonus(1000n, 3000)).toEqual({ now: 700n, bonus: 300n });
    expect(splitBonus(1000n, 0)).toEqual({ now: 1000n, bonus: 0n });
    expect(splitBonus(1000n, 10_000)).toEqual({ now: 0n, bonus: 1000n });
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: 2n ** 200n }), fc.integer({ min: 0, max: 10_000 }), (credit, bps) => {
        const { now, bonus } = splitBonus(credit, bps);
        expect(now + bonus).toBe(credit);
        expect(bonus * 10_000n <= credit * BigInt(bps)).toBe(true);
      }),
    );
  });
});

describe("loyaltyCredit", () => {
  it("pays a fixed amount whatever the value", () => {
    expect(loyaltyCredit(rules(), "review", undefined, MID_JUNE)).toEqual({ credit: 5n * TOKEN, campaign: undefined });
    expect(loyaltyCredit(rules(), "review", 1_000n * TOKEN, MID_JUNE).credit).toBe(5n * TOKEN);
  });

  it("pays perUnit × value / 10^18 for per-unit rules", () => {
    // A 42.5 purchase at 0.1 token per unit earns 4.25 tokens.
    expect(loyaltyCredit(rules(), "purchase", 42n * TOKEN + TOKEN / 2n, MID_JUNE).credit).toBe(
      4_250_000_000_000_000_000n,
    );
    expect(loyaltyCredit(rules(), "purchase", 9n, MID_JUNE).credit).toBe(0n); // rounds down
  });

  it("adds the fixed and per-unit parts when a rule has both", () => {
    expect(loyaltyCredit(rules(), "visit", 50n * TOKEN, MID_JUNE).credit).toBe(TOKEN + TOKEN / 2n);
  });

  it("requires a value for per-unit rules", () => {
    coded(() => loyaltyCredit(rules(), "purchase", undefined, MID_JUNE), "RC_VALUE_REQUIRED");
    coded(() => loyaltyCredit(rules(), "visit", undefined, MID_JUNE), "RC_VALUE_REQUIRED");
  });

  it("refuses an event type the program has no rule for", () => {
    coded(() => loyaltyCredit(rules(), "referral", undefined, MID_JUNE), "RC_EVENT_TYPE_UNKNOWN");
    expect(() => loyaltyCredit(rules(), "referral", undefined, MID_JUNE)).toThrow(
      expect.objectContaining({ details: { type: "referral" } }),
    );
  });

  // rules.events is a plain object: "constructor" passes the API's event-type pattern and must not find
  // Object.prototype's member (it was credited 0 instead of refused before the lookup used Object.hasOwn).
  it("refuses event types named like Object.prototype members", () => {
    coded(() => loyaltyCredit(rules(), "constructor", undefined, MID_JUNE), "RC_EVENT_TYPE_UNKNOWN");
  });

  it("applies an active campaign's multiplier and names it", () => {
    expect(loyaltyCredit(rules([campaign("double june", 20_000)]), "review", undefined, MID_JUNE)).toEqual({
      credit: 10n * TOKEN,
      campaign: "double june",
    });
    expect(loyaltyCredit(rules([campaign("half", 5_000)]), "review", undefined, MID_JUNE).credit).toBe(
      (5n * TOKEN) / 2n,
    );
  });

  it("runs a campaign from its start inclusive to its end exclusive", () => {
    const boosted = rules([campaign("double june", 20_000)]);
    const at = (time: Date) => loyaltyCredit(boosted, "review", undefined, time);
    expect(at(new Date(JUNE_1.getTime() - 1))).toEqual({ credit: 5n * TOKEN, campaign: undefined });
    expect(at(JUNE_1)).toEqual({ credit: 10n * TOKEN, campaign: "double june" });
    expect(at(new Date(JULY_1.getTime() - 1))).toEqual({ credit: 10n * TOKEN, campaign: "double june" });
    expect(at(JULY_1)).toEqual({ credit: 5n * TOKEN, campaign: undefined });
  });

  it("applies a campaign with types only to those types", () => {
    const boosted = rules([campaign("reviews", 30_000, ["review"])]);
    expect(loyaltyCredit(boosted, "review", undefined, MID_JUNE)).toEqual({ credit: 15n * TOKEN, campaign: "reviews" });
    expect(loyaltyCredit(boosted, "visit", 0n, MID_JUNE)).toEqual({ credit: TOKEN, campaign: undefined });
  });

  it("applies only the best active campaign: campaigns do not compound", () => {
    const boosted = rules([
      campaign("plus half", 15_000),
      campaign("triple", 30_000),
      campaign("double", 20_000),
      { ...campaign("expired tenfold", 100_000), to: JUNE_1, from: new Date("2025-05-01T00:00:00Z") },
      campaign("purchases fivefold", 50_000, ["purchase"]),
    ]);
    expect(loyaltyCredit(boosted, "review", undefined, MID_JUNE)).toEqual({ credit: 15n * TOKEN, campaign: "triple" });
  });

  it("multiplies the sum of the fixed and per-unit parts, rounding down", () => {
    const boosted = rules([campaign("plus a third", 13_333)]);
    // (1 + 0.5) tokens × 1.3333 = 1.99995 tokens
    expect(loyaltyCredit(boosted, "visit", 50n * TOKEN, MID_JUNE).credit).toBe(1_999_950_000_000_000_000n);
    expect(loyaltyCredit(rules([campaign("double", 20_000)]), "purchase", 15n, MID_JUNE).credit).toBe(2n);
  });
});
