import { parseUnits } from "ethers";
import { describe, expect, it } from "vitest";
import { changedTerms, sameTerms, termsJson, type ProgramTerms } from "../../../services/core/terms-change.js";

const tokens = (amount: string) => parseUnits(amount, 18);
const recycling: ProgramTerms = {
  rates: { PET: tokens("2.5"), HDPE: tokens("2") },
  rules: { events: {}, campaigns: [] },
  caps: { perEvent: tokens("100") },
  bonusShareBps: 1_000,
};

describe("a change of a program's terms", () => {
  it("replaces only the parts it gives", () => {
    expect(changedTerms("recycling", recycling, { rates: { PET: "3" } })).toEqual({ ...recycling, rates: { PET: tokens("3") } });
    expect(changedTerms("recycling", recycling, { bonusShareBps: 0 })).toEqual({ ...recycling, bonusShareBps: 0 });
  });

  it("keeps caps left out as they are, with no default bound added to a program that has none on purpose", () => {
    expect(changedTerms("recycling", recycling, { rates: { PET: "4" } }).caps).toEqual({ perEvent: tokens("100") });
  });

  it("reads caps it gives as creation does: perIssuerDaily left out gets the default, null is none", () => {
    expect(changedTerms("recycling", recycling, { caps: { perEvent: "5" } }).caps).toEqual({ perEvent: tokens("5"), perIssuerDaily: tokens("2500") });
    expect(changedTerms("recycling", recycling, { caps: { perIssuerDaily: null } }).caps).toEqual({});
  });

  it("refuses what creation refuses: rules for recycling, rates for loyalty, no rate at all, a backwards campaign", () => {
    expect(() => changedTerms("recycling", recycling, { rules: { events: { buy: { fixed: "1" } } } })).toThrow(/rates, not rules/);
    expect(() => changedTerms("recycling", recycling, { rates: {} })).toThrow(/at least one material/);
    const loyalty: ProgramTerms = { rates: {}, rules: { events: { buy: { fixed: tokens("1") } }, campaigns: [] }, caps: {}, bonusShareBps: 0 };
    expect(() => changedTerms("loyalty", loyalty, { rates: { PET: "1" } })).toThrow(/rules, not rates/);
    const backwards = { name: "x", from: "2026-02-01T00:00:00Z", to: "2026-01-01T00:00:00Z", multiplierBps: 20_000 };
    expect(() => changedTerms("loyalty", loyalty, { rules: { events: { buy: { fixed: "1" } }, campaigns: [backwards] } })).toThrow(/must end after/);
    expect(changedTerms("loyalty", loyalty, { caps: { perEvent: "9" } })).toEqual({ ...loyalty, caps: { perEvent: tokens("9") } });
  });

  it("tells terms that say the same in another key order from terms that differ", () => {
    const json = termsJson(recycling);
    expect(sameTerms(json, { ...json, rates: { HDPE: "2", PET: "2.5" } })).toBe(true);
    expect(sameTerms(json, { ...json, rates: { HDPE: "2", PET: "2.6" } })).toBe(false);
  });
});
