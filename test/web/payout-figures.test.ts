import { describe, expect, it } from "vitest";
import { payoutFigures } from "../../web/src/retailer/payout-figures.js";

describe("a payout's figures as the shop reads them", () => {
  const paid = { gross: "3", fee: "0.015", net: "2.985" };

  it("writes gross, fee and net as the language writes numbers, each with the currency", () => {
    expect(payoutFigures(paid, "tUSD", "en")).toEqual({ gross: "3 tUSD", fee: "0.015 tUSD", net: "2.985 tUSD" });
    // Bahasa's decimal comma, as the shop's balance above the payout reads: never "2.985", which reads as 2,985.
    expect(payoutFigures(paid, "tUSD", "id")).toEqual({ gross: "3 tUSD", fee: "0,015 tUSD", net: "2,985 tUSD" });
    expect(payoutFigures({ gross: "1234.5", fee: "6.1725", net: "1228.3275" }, "tUSD", "id")).toEqual({ gross: "1.234,5 tUSD", fee: "6,1725 tUSD", net: "1.228,3275 tUSD" });
  });

  it("has no figures before the vault has paid, and no fee reads as none", () => {
    expect(payoutFigures({ gross: null, fee: null, net: null }, "tUSD", "id")).toBeNull();
    expect(payoutFigures({ gross: "3", fee: null, net: null }, "tUSD", "en")).toEqual({ gross: "3 tUSD", fee: "0 tUSD", net: "0 tUSD" });
  });
});
