import { parseUnits } from "ethers";
import { describe, expect, it } from "vitest";
import { DEFAULT_ISSUER_DAILY_KG, programTerms } from "../../../services/core/program-terms.js";

const tokens = (amount: string) => parseUnits(amount, 18);

describe("a recycling program's default perIssuerDaily", () => {
  it("is 1,000 kg a day at the program's best rate when none is given", () => {
    const { caps } = programTerms({ kind: "recycling", rates: { PET: "2.5", HDPE: "4" } });
    expect(DEFAULT_ISSUER_DAILY_KG).toBe(1_000n);
    expect(caps).toEqual({ perIssuerDaily: tokens("4000") });
  });

  it("applies beside other caps given without it", () => {
    const { caps } = programTerms({ kind: "recycling", rates: { PET: "2" }, caps: { perEvent: "100" } });
    expect(caps).toEqual({ perEvent: tokens("100"), perIssuerDaily: tokens("2000") });
  });

  it("gives way to a cap given on purpose, 0 included, and to null meaning none", () => {
    expect(programTerms({ kind: "recycling", rates: { PET: "2" }, caps: { perIssuerDaily: "50" } }).caps).toEqual({ perIssuerDaily: tokens("50") });
    expect(programTerms({ kind: "recycling", rates: { PET: "2" }, caps: { perIssuerDaily: "0" } }).caps).toEqual({ perIssuerDaily: 0n });
    expect(programTerms({ kind: "recycling", rates: { PET: "2" }, caps: { perIssuerDaily: null } }).caps).toEqual({});
  });

  it("is not set on loyalty programs", () => {
    expect(programTerms({ kind: "loyalty", rules: { events: { buy: { fixed: "1" } } } }).caps).toEqual({});
  });
});
