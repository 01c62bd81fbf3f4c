import { describe, expect, it } from "vitest";
import { RecircleError } from "../../../services/core/errors.js";
import {
  claimCodeHash,
  claimCodeMatches,
  maskPhone,
  newClaimCode,
  normalisePhone,
  parsePhone,
  phoneKey,
} from "../../../services/core/phone.js";
import { phoneCountry } from "../../../services/core/phone-number.js";

const SALT = "s".repeat(32);

describe("normalisePhone", () => {
  it("keeps a number already in E.164 form", () => {
    expect(normalisePhone("+6281234567890")).toBe("+6281234567890");
  });

  it("drops the spaces, dashes, dots and brackets people write numbers with", () => {
    expect(normalisePhone(" +62 (812) 3456-78.90 ")).toBe("+6281234567890");
  });

  it("reads a local number in the program's country (Indonesia): 0812… is +62812…", () => {
    expect(normalisePhone("081234567890")).toBe("+6281234567890");
    expect(normalisePhone("0812-3456-7890")).toBe("+6281234567890");
    expect(normalisePhone("021 555 0123")).toBe("+62215550123");
  });

  it("reads a local number in another country when told which", () => {
    expect(normalisePhone("(415) 555-2671", "US")).toBe("+14155552671");
    expect(normalisePhone("0151 12345678", "DE")).toBe("+4915112345678");
  });

  it("keeps a valid number of any country given with its +", () => {
    expect(normalisePhone("+1 415 555 2671")).toBe("+14155552671");
  });

  it.each([
    "+0812345678", // no country code starts with 0
    "+6281234", // too short for Indonesia
    "+62812345678901234", // too long for Indonesia
    "+1234567890123456", // longer than E.164 allows
    "+12345678", // no line in the North American plan is this short
    "08123", // a local number cut short
    "0000000000", // no Indonesian prefix
    "+62 812 abc 7890",
    "081234567890 ext 5",
    "",
    "++6281234567",
  ])("rejects %j with a 400", (raw) => {
    const error = (() => {
      try {
        normalisePhone(raw);
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(RecircleError);
    expect(error).toMatchObject({ code: "RC_INVALID_PHONE", statusCode: 400 });
  });
});

describe("parsePhone", () => {
  it("answers undefined instead of throwing, for the page to say so as one types", () => {
    expect(parsePhone("0812 3456 7890")).toBe("+6281234567890");
    expect(parsePhone("0812")).toBeUndefined();
  });
});

describe("phoneCountry", () => {
  it("takes an ISO 3166-1 alpha-2 country whose numbers libphonenumber can read", () => {
    for (const code of ["ID", "PH", "GB", "US"]) expect(phoneCountry(code)).toBe(code);
  });

  it("refuses a code no numbering plan has, or not written as two capitals, with RC_INVALID_COUNTRY", () => {
    for (const code of ["XX", "UK", "ph", "PHL", ""]) {
      expect(() => phoneCountry(code), code).toThrow(expect.objectContaining({ code: "RC_INVALID_COUNTRY", statusCode: 400 }));
    }
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

  it("keeps the whole calling code of the number's country, however long", () => {
    expect(maskPhone("+14155552671")).toBe("+1••••••2671");
    expect(maskPhone("+971501234567")).toBe("+971•••••4567");
    expect(maskPhone("081234567890")).toBe("+62•••••••7890");
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
