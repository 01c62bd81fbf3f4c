import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { RecircleError } from "../../../services/core/errors.js";
import { decodeVoucher, encodeVoucher, type Voucher } from "../../../services/core/voucher.js";

const hex = (bytes: number) => fc.uint8Array({ minLength: bytes, maxLength: bytes }).map((b) => `0x${Buffer.from(b).toString("hex")}`);
const vouchers: fc.Arbitrary<Voucher> = fc.record({
  programId: fc.integer({ min: 1, max: 0xffffffff }),
  from: hex(20),
  to: hex(20),
  value: fc.bigInt({ min: 1n, max: 2n ** 128n - 1n }),
  validAfter: fc.integer({ min: 0, max: 2 ** 48 - 1 }),
  validBefore: fc.integer({ min: 0, max: 2 ** 48 - 1 }),
  nonce: hex(32),
  signature: hex(65),
});

const example: Voucher = {
  programId: 7,
  from: "0x90f79bf6eb2c4f870365e785982e1f101e93b906",
  to: "0x15d34aaf54267db7d7c367839aaf71a00a2c6a65",
  value: 2_500_000_000_000_000_000n,
  validAfter: 0,
  validBefore: 1_800_000_000,
  nonce: `0x${"ab".repeat(31)}00`,
  signature: `0x${"11".repeat(64)}1b`,
};

function refused(text: string) {
  try {
    decodeVoucher(text);
  } catch (error) {
    expect(error).toBeInstanceOf(RecircleError);
    expect((error as RecircleError).code).toBe("RC_INVALID_VOUCHER");
    return;
  }
  throw new Error(`accepted ${text}`);
}

describe("offline payment vouchers", () => {
  it("decode to exactly what was encoded", () => {
    fc.assert(
      fc.property(vouchers, (voucher) => {
        expect(decodeVoucher(encodeVoucher(voucher))).toEqual(voucher);
      }),
    );
  });

  it("fit a small QR code: 238 characters", () => {
    const text = encodeVoucher(example);
    expect(text.startsWith("recircle:v1:")).toBe(true);
    expect(text).toHaveLength(238);
  });

  it("refuses another prefix, bad base64url, a wrong length, a zero value and non-canonical base64url", () => {
    const text = encodeVoucher(example);
    const body = () => Buffer.from(text.slice("recircle:v1:".length), "base64url");
    const rebuilt = (bytes: Buffer) => `recircle:v1:${bytes.toString("base64url")}`;
    refused(text.replace("recircle:v1:", "recircle:v2:"));
    refused(`${text.slice(0, -1)}!`);
    refused(rebuilt(body().subarray(0, 168)));
    refused(rebuilt(Buffer.concat([body(), Buffer.from([0])])));
    const zeroValue = body();
    zeroValue.fill(0, 44, 60);
    refused(rebuilt(zeroValue));
    refused(`${text}=`);
  });

  it("refuses to encode values that do not fit their fields", () => {
    expect(() => encodeVoucher({ ...example, value: 2n ** 128n })).toThrow(RangeError);
    expect(() => encodeVoucher({ ...example, value: 0n })).toThrow(RangeError);
    expect(() => encodeVoucher({ ...example, programId: 0 })).toThrow(RangeError);
    expect(() => encodeVoucher({ ...example, validBefore: 2 ** 48 })).toThrow(RangeError);
    expect(() => encodeVoucher({ ...example, nonce: "0x1234" })).toThrow(RangeError);
  });
});
