import { getAddress } from "ethers";
import { describe, expect, it } from "vitest";
import { checkedAddress, checksumValid } from "../../../services/core/addresses.js";
import { nulPath, saneDateTime } from "../../../services/core/input-bounds.js";

const GOOD = "0x52908400098527886E0F7030069857D2E4169EE7";

describe("checksumValid", () => {
  it("admits lower-case, upper-case hex and a valid EIP-55 checksum", () => {
    expect(checksumValid(GOOD.toLowerCase())).toBe(true);
    expect(checksumValid(`0x${GOOD.slice(2).toUpperCase()}`)).toBe(true);
    expect(checksumValid(GOOD)).toBe(true);
  });

  it("refuses a mixed-case address whose checksum fails", () => {
    expect(checksumValid(GOOD.replace("E0F", "e0F"))).toBe(false);
  });

  it("leaves what is not an address to the schema's pattern", () => {
    expect(checksumValid("0x12")).toBe(true);
  });

  it("answers RC_BAD_CHECKSUM from checkedAddress and the checksum form otherwise", () => {
    expect(() => checkedAddress(GOOD.replace("E0F", "e0F"))).toThrow(expect.objectContaining({ code: "RC_BAD_CHECKSUM", statusCode: 400 }));
    expect(checkedAddress(GOOD.toLowerCase())).toBe(getAddress(GOOD));
  });
});

describe("saneDateTime", () => {
  it.each(["2030-01-31T00:00:00Z", "1970-01-01T00:00:00Z", "2024-02-29T12:00:00.123+07:00", "9999-12-31T23:59:59Z", "2030-01-01 00:00:00z"])("admits %s", (at) => {
    expect(saneDateTime(at)).toBe(true);
  });

  it.each([
    "0000-01-01T00:00:00Z",
    "1969-12-31T23:59:59Z",
    "2023-02-29T00:00:00Z",
    "2030-13-01T00:00:00Z",
    "2030-01-01T23:59:60Z",
    "2030-01-01T00:00:00+24:00",
    "9999-12-31T23:00:00-05:00",
    "2030-01-01",
    "2030-01-01T00:00:00",
    "+02030-01-01T00:00:00Z",
  ])("refuses %s", (at) => {
    expect(saneDateTime(at)).toBe(false);
  });
});

describe("nulPath", () => {
  it("finds a NUL in a nested string or key, by path", () => {
    expect(nulPath({ name: "ok", rules: { events: { buy: { fixed: "1\u0000" } } } })).toBe("rules/events/buy/fixed");
    expect(nulPath({ list: ["a", "b\u0000"] })).toBe("list/1");
    expect(nulPath({ ["k\u0000"]: 1 })).toBe("k\u0000");
    expect(nulPath("\u0000")).toBe("");
    expect(nulPath({ name: "clean", n: 1, x: null })).toBeUndefined();
  });
});
