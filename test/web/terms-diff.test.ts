import { describe, expect, it } from "vitest";
import { termsDiff } from "../../web/src/operator/terms-diff.js";

const terms = { rates: { PET: "2.5", HDPE: "2" }, rules: { events: {}, campaigns: [] }, caps: { perEvent: "100" }, bonusShareBps: 0 };

describe("the console's line per changed term", () => {
  it("names each changed rate, cap and share, with a dash where there was none", () => {
    const after = { ...terms, rates: { PET: "4", HDPE: "2", PP: "1" }, caps: {}, bonusShareBps: 500 };
    expect(termsDiff(terms, after)).toEqual(["PET: 2.5 → 4", "PP: – → 1", "perEvent: 100 → –", "bonusShareBps: 0 → 500"]);
  });

  it("says nothing for the same terms in another key order, and one line for changed rules", () => {
    expect(termsDiff(terms, { ...terms, rates: { HDPE: "2", PET: "2.5" } })).toEqual([]);
    const rules = { events: { buy: { fixed: "2" } }, campaigns: [] };
    expect(termsDiff({ ...terms, rules: { events: { buy: { fixed: "1" } }, campaigns: [] } }, { ...terms, rules })).toEqual([`rules: ${JSON.stringify(rules)}`]);
  });
});
