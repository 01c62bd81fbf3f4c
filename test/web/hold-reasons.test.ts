import { describe, expect, it } from "vitest";
import { HOLD_REASONS } from "../../services/core/fraud.js";
import en from "../../web/src/messages/en/common.json" with { type: "json" };
import id from "../../web/src/messages/id/common.json" with { type: "json" };

describe("why a credit is held", () => {
  it("has words for every hold code the API gives, in both languages, and a general one for a code not known yet", () => {
    const languages = { en, id } as Record<string, Record<string, string>>;
    for (const [language, messages] of Object.entries(languages)) {
      const keys = [...HOLD_REASONS.map((code) => `hold.${code}`), "hold.other", "hold.why"];
      expect(keys.filter((key) => !messages[key]?.trim()), language).toEqual([]);
      for (const key of keys) expect(messages[key], key).not.toMatch(/RC_|_cap|daily_/i);
    }
    // Said in Indonesian in Bahasa, not copied from the English.
    for (const code of HOLD_REASONS) expect(id[`hold.${code}`], code).not.toBe(en[`hold.${code}`]);
    expect(id["hold.RC_OVER_BENEFICIARY_DAILY_CAP"]).toBe("melebihi batas harian pengumpul");
  });
});
