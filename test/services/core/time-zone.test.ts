import { describe, expect, it } from "vitest";
import { checkedTimeZone } from "../../../services/core/time-zone.js";

describe("the time zone a point's day is counted in", () => {
  it("is UTC when none is given, and a region's name in its canonical spelling otherwise", () => {
    expect(checkedTimeZone(undefined)).toBe("UTC");
    expect(checkedTimeZone("Asia/Jakarta")).toBe("Asia/Jakarta");
    expect(checkedTimeZone("asia/makassar")).toBe("Asia/Makassar");
    expect(checkedTimeZone("Etc/GMT-7")).toBe("Etc/GMT-7");
    // ICU's canonical name (CLDR keeps the older IANA link): PostgreSQL's tzdata knows both.
    expect(checkedTimeZone("America/Argentina/Buenos_Aires")).toBe("America/Buenos_Aires");
  });

  it("refuses bare offsets and POSIX strings, whose sign PostgreSQL reads the other way, and unknown names", () => {
    for (const name of ["+07:00", "UTC+7", "GMT-7", "Mars/Olympus_Mons", "Asia/Jakarta; drop table events", "", "x".repeat(65)]) {
      expect(() => checkedTimeZone(name), name).toThrow(expect.objectContaining({ code: "RC_BAD_TIME_ZONE", statusCode: 400 }));
    }
  });
});
