import { describe, expect, it } from "vitest";
import { formatAmount, formatClock, formatCount, formatDay, formatHour, formatMoment, formatMoney, formatWeekday, formatWeight } from "../../web/src/ui/format.js";

describe("numbers, money and days as each language writes them", () => {
  it("groups and cuts decimals per language, exactly, never through a float", () => {
    expect(formatAmount("1000")).toBe("1,000");
    expect(formatAmount("999.7375", 6, "en")).toBe("999.7375");
    expect(formatAmount("999.7375", 6, "id")).toBe("999,7375");
    expect(formatAmount("2300.5", 3, "id")).toBe("2.300,5");
    // Cut, not rounded up: a balance is never shown as more than it is.
    expect(formatAmount("1.999", 2)).toBe("1.99");
    expect(formatAmount("123456789012345678901.123456789012345678", 18)).toBe("123,456,789,012,345,678,901.123456789012345678");
  });

  it("says money with its unit and every decimal its currency keeps", () => {
    expect(formatMoney("1234.5", "tUSD", 6, "en")).toBe("1,234.5 tUSD");
    expect(formatMoney("1234.000001", "tUSD", 6, "id")).toBe("1.234,000001 tUSD");
  });

  it("writes a day in the language's words, in UTC", () => {
    expect(formatDay("2026-12-03T23:30:00Z", "en")).toBe("Dec 3, 2026");
    expect(formatDay("2026-12-03T23:30:00Z", "id")).toBe("3 Des 2026");
    expect(formatDay(new Date(2026, 11, 3, 0, 30).toISOString(), "en", "local")).toBe("Dec 3, 2026");
    expect([formatWeekday("2026-12-03", "en"), formatWeekday("2026-12-03", "id")]).toEqual(["Thu, Dec 3", "Kam, 3 Des"]);
  });

  it("says a weight in grams under a kilogram and in kilograms above, as the language writes numbers", () => {
    expect([formatWeight(850), formatWeight(1234), formatWeight(61_250), formatWeight(1_234_500)]).toEqual(["850 g", "1.23 kg", "61.25 kg", "1,234.5 kg"]);
    expect([formatWeight(850, "id"), formatWeight(1234, "id"), formatWeight(1_234_500, "id")]).toEqual(["850 g", "1,23 kg", "1.234,5 kg"]);
  });

  it("counts, moments and clock times as each language writes them", () => {
    expect([formatCount(1234), formatCount(1234, "id")]).toEqual(["1,234", "1.234"]);
    expect(formatMoment("2026-12-03T15:04:00Z", "en", "UTC")).toBe("Dec 3, 2026, 3:04 PM");
    expect(formatMoment("2026-12-03T15:04:00Z", "id", "UTC")).toBe("3 Des 2026, 15.04");
    expect([formatMoment("2026-12-03T15:04:00Z", "en", "UTC", "short"), formatMoment("2026-12-03T15:04:00Z", "id", "UTC", "short")]).toEqual(["12/3/26, 3:04 PM", "03/12/26, 15.04"]);
    const clock = new Date(2026, 11, 3, 15, 4, 5);
    expect([formatClock(clock, "en"), formatClock(clock, "id")]).toEqual(["3:04:05 PM", "15.04.05"]);
    expect([formatHour("2026-12-03T09:05:00Z", "en", "Asia/Jakarta"), formatHour("2026-12-03T09:05:00Z", "id", "Asia/Jakarta")]).toEqual(["16:05", "16.05"]);
    expect(formatHour(clock, "en")).toBe("15:04");
  });
});
