import { describe, expect, it } from "vitest";
import { age } from "../../../web/src/operator/review-format.js";

describe("the age of a review row", () => {
  const now = Date.parse("2026-12-03T10:00:00Z");

  it("says the largest whole unit ago, in the reader's language", () => {
    expect(age("2026-12-03T09:00:00Z", "en", now)).toBe("1 hour ago");
    expect(age("2026-12-03T07:59:00Z", "en", now)).toBe("2 hours ago");
    expect(age("2026-11-30T10:00:00Z", "en", now)).toBe("3 days ago");
    expect(age("2026-12-03T09:55:30Z", "en", now)).toBe("4 minutes ago");
    expect(age("2026-12-03T09:00:00Z", "id", now)).toBe("1 jam yang lalu");
  });

  it("says now for a time at or ahead of this device's clock", () => {
    expect(age("2026-12-03T10:00:00Z", "en", now)).toBe("now");
    expect(age("2026-12-03T10:00:05Z", "en", now)).toBe("now");
  });
});
