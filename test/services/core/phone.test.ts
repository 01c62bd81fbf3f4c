import { describe, expect, it } from "vitest";
import { RecircleError } from "../../../services/core/errors.js";
import {
  claimCodeHash,
  claimCodeMatches,
  maskPhone,
  newClaimCode,
  normalisePhone,
  phoneKey,
} from "../../../services/core/phone.js";

const SALT = "s".repeat(32);

describe("normalisePhone", () => {
  it("keeps a number already in E.164 form", () => {
    expect(normalisePhone("+6281234567890")).toBe("+6281234567890");
  });

  it("drops the spaces, dashes, dots and brackets people write numbers with", () => {
    expect(normalisePhone(" +62 (812) 3456-78.90 ")).toBe("+6281234567890");
  });

  it.each(["6281234567890", "+0812345678", "+6281234", "+1234567890123456", "+62 812 abc 7890", "", "++6281234567"])(
    "rejects %j with a 400",
    (raw) => {
      const error = (() => {
        try {
          normalisePhone(raw);
        } catch (e) {
          return e;
        }
      })();
      expect(error).toBeInstanceOf(RecircleError);
      expect(error).toMatchObject({ code: "RC_INVALID_PHONE", statusCode: 400 });
    },
  );

  it("accepts the shortest and the longest E.164 numbers", () => {
    expect(normalisePhone("+12345678")).toBe("+12345678");
    expect(normalisePhone("+123456789012345")).toBe("+123456789012345");
  });
});

describe("phoneKey", () => {
  it("is the HMAC-SHA256 hex of the normalised number, the same however it was written", () => {
    const key = phoneKey(SALT, "+6281234567890");
    expect(key).toMatch(/^[0-9a-f]{64}$/);
    expect(phoneKey(SALT, "+62 812-3456-7890")).toBe(key);
  });

  it("differs with the salt, so the key cannot be found by hashing every number without it", () => {
    expect(phoneKey("t".repeat(32), "+6281234567890")).not.toBe(phoneKey(SALT, "+6281234567890"));
  });

  it("refuses a salt shorter than 32 characters", () => {
    expect(() => phoneKey("short", "+6281234567890")).toThrow(/at least 32/);
  });
});

describe("maskPhone", () => {
  it("shows the country prefix and the last four digits only", () => {
    expect(maskPhone("+6281234567890")).toBe("+62•••••••7890");
    expect(maskPhone("+6281234567890")).not.toContain("812345");
  });
});

describe("claim codes", () => {
  it("draws six digits", () => {
    for (let i = 0; i < 50; i++) expect(newClaimCode()).toMatch(/^\d{6}$/);
  });

  it("matches only the code and the phone key it was issued for", () => {
    const key = phoneKey(SALT, "+6281234567890");
    const hash = claimCodeHash(SALT, key, "012345");
    expect(claimCodeMatches(SALT, key, "012345", hash)).toBe(true);
    expect(claimCodeMatches(SALT, key, "012346", hash)).toBe(false);
    expect(claimCodeMatches(SALT, phoneKey(SALT, "+6281234567891"), "012345", hash)).toBe(false);
  });
});
