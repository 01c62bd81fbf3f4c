import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  TOKEN_DECIMALS,
  formatDecimal,
  formatTokenAmount,
  parseDecimal,
  parseTokenAmount,
} from "../../../services/core/amounts.js";
import { RecircleError } from "../../../services/core/errors.js";

const TOKEN = 10n ** 18n;
const MAX_UINT256 = 2n ** 256n - 1n;
const digits = (maxLength: number) => fc.string({ unit: fc.constantFrom(..."0123456789"), maxLength });

/** Runs `parse` and returns the RecircleError it throws, failing the test if it throws nothing or something else. */
function invalidAmount(parse: () => unknown): RecircleError {
  try {
    parse();
  } catch (error) {
    expect(error).toBeInstanceOf(RecircleError);
    const coded = error as RecircleError;
    expect(coded.code).toBe("RC_INVALID_AMOUNT");
    expect(coded.statusCode).toBe(400);
    return coded;
  }
  throw new Error("expected RC_INVALID_AMOUNT, nothing was thrown");
}

describe("parseTokenAmount", () => {
  it("uses 18 decimals", () => {
    expect(TOKEN_DECIMALS).toBe(18);
  });

  it("parses whole and fractional token amounts into base units exactly", () => {
    expect(parseTokenAmount("0")).toBe(0n);
    expect(parseTokenAmount("1")).toBe(TOKEN);
    expect(parseTokenAmount("12.5")).toBe(12n * TOKEN + TOKEN / 2n);
    expect(parseTokenAmount("3.75")).toBe(3_750_000_000_000_000_000n);
    expect(parseTokenAmount("0.000000000000000001")).toBe(1n);
  });

  it("accepts non-canonical trailing zeros in the fraction", () => {
    expect(parseTokenAmount("1.50")).toBe(parseTokenAmount("1.5"));
    expect(parseTokenAmount("0.000")).toBe(0n);
  });

  it.each(["-1", "1e5", "01", "00", "1.", ".5", " 1", "1 ", "", "+1", "1,5", "1.2.3", "0x10", "١"])(
    "rejects %j as an invalid amount",
    (text) => {
      invalidAmount(() => parseTokenAmount(text));
    },
  );

  it("accepts 18 decimals and rejects 19", () => {
    expect(parseTokenAmount("0.123456789012345678")).toBe(123_456_789_012_345_678n);
    invalidAmount(() => parseTokenAmount("0.1234567890123456789"));
    invalidAmount(() => parseTokenAmount("1.0000000000000000000"));
  });

  it("accepts the largest uint256 and rejects one base unit more", () => {
    expect(parseTokenAmount(formatTokenAmount(MAX_UINT256))).toBe(MAX_UINT256);
    invalidAmount(() => parseTokenAmount(formatTokenAmount(MAX_UINT256 + 1n)));
    invalidAmount(() => parseTokenAmount((2n ** 256n).toString()));
  });

  it("names the field in the error message", () => {
    expect(invalidAmount(() => parseTokenAmount("abc", "rates.PET")).message).toContain("rates.PET");
    expect(invalidAmount(() => parseTokenAmount("1.0000000000000000001", "caps.perEvent")).message).toContain(
      "caps.perEvent",
    );
    expect(invalidAmount(() => parseTokenAmount("abc")).message).toContain("amount");
  });
});

describe("parseDecimal", () => {
  it("parses into base units of the given number of decimals", () => {
    expect(parseDecimal("12.5", 6)).toBe(12_500_000n);
    expect(parseDecimal("0.01", 6)).toBe(10_000n);
    expect(parseDecimal("7", 0)).toBe(7n);
  });

  it("rejects more decimals than the unit has", () => {
    invalidAmount(() => parseDecimal("0.0000001", 6));
    invalidAmount(() => parseDecimal("1.5", 0));
  });
});

describe("formatDecimal and formatTokenAmount", () => {
  it("write the shortest exact decimal string", () => {
    expect(formatDecimal(12_500_000n, 6)).toBe("12.5");
    expect(formatTokenAmount(12_500_000_000_000_000_000n)).toBe("12.5");
    expect(formatTokenAmount(3n * TOKEN)).toBe("3");
    expect(formatTokenAmount(0n)).toBe("0");
    expect(formatTokenAmount(1n)).toBe("0.000000000000000001");
    expect(formatDecimal(7n, 0)).toBe("7");
  });

  it("keeps the sign of negative amounts", () => {
    expect(formatTokenAmount(-(TOKEN + TOKEN / 2n))).toBe("-1.5");
    expect(formatTokenAmount(-1n)).toBe("-0.000000000000000001");
  });
});

describe("round trips", () => {
  it("parses every formatted uint256 back to the same base units", () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: MAX_UINT256 }), (value) => {
        expect(parseTokenAmount(formatTokenAmount(value))).toBe(value);
      }),
    );
  });

  it("parses every formatted amount of any precision back to the same base units", () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: 10n ** 40n }), fc.integer({ min: 0, max: 30 }), (value, decimals) => {
        expect(parseDecimal(formatDecimal(value, decimals), decimals)).toBe(value);
      }),
    );
  });

  it("formats every parsed amount canonically: the input without trailing fraction zeros", () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: MAX_UINT256 / TOKEN - 1n }), digits(18), (whole, fraction) => {
        const text = fraction === "" ? `${whole}` : `${whole}.${fraction}`;
        const trimmed = fraction.replace(/0+$/, "");
        const canonical = trimmed === "" ? `${whole}` : `${whole}.${trimmed}`;
        const formatted = formatTokenAmount(parseTokenAmount(text));
        expect(formatted).toBe(canonical);
        expect(formatted).toMatch(/^(0|[1-9]\d*)(\.\d*[1-9])?$/);
      }),
    );
  });
});
