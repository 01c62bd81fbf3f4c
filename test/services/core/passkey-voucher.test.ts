import fc from "fast-check";
import { getBytes, toBeHex, TypedDataEncoder, Wallet } from "ethers";
import qrcode from "qrcode-generator";
import { describe, expect, it } from "vitest";
import { rewardTokenDomain, TRANSFER_WITH_AUTHORIZATION_TYPES } from "../../../services/chain/eip3009.js";
import { isPasskeyAssertion } from "../../../services/core/account-signature.js";
import { RecircleError } from "../../../services/core/errors.js";
import { recoverP256Keys } from "../../../services/core/p256-recover.js";
import { assertionMessageHash, assertionSignature } from "../../../services/core/voucher-assertion.js";
import { decodeVoucher, encodeVoucher, type VoucherTerms } from "../../../services/core/voucher.js";
import { encodeWebAuthnAuth, P256_N } from "../../../services/core/webauthn-auth.js";
import { type AssertionFlags, SoftwarePasskey, wrappedForCreation } from "../../../harness/lib/software-passkey.js";

const terms: VoucherTerms = {
  programId: 7,
  from: "0x90f79bf6eb2c4f870365e785982e1f101e93b906",
  to: "0x15d34aaf54267db7d7c367839aaf71a00a2c6a65",
  value: 2_500_000_000_000_000_000n,
  validAfter: 0,
  validBefore: 1_800_000_000,
  nonce: `0x${"ab".repeat(31)}00`,
};
const domain = rewardTokenDomain("Ocean Plastic", 31337n, "0x5fbdb2315678afecb367f032d93f642f64180aa3");
const digestOf = (t: VoucherTerms) =>
  TypedDataEncoder.hash(domain, TRANSFER_WITH_AUTHORIZATION_TYPES, { ...t, validAfter: BigInt(t.validAfter), validBefore: BigInt(t.validBefore) });
const digest = digestOf(terms);

/** A passkey's voucher of `terms`, as the phone makes it from its one assertion. */
function passkeyVoucher(passkey = new SoftwarePasskey("https://app.recircle.example", "app.recircle.example"), flags: AssertionFlags = {}) {
  const signature = passkey.assert(digest, flags);
  return { passkey, signature, text: encodeVoucher({ ...terms, signature }) };
}

function refused(text: string, because: RegExp) {
  try {
    decodeVoucher(text);
  } catch (error) {
    expect(error).toBeInstanceOf(RecircleError);
    expect((error as RecircleError).code).toBe("RC_INVALID_VOUCHER");
    expect((error as RecircleError).statusCode).toBe(400);
    expect((error as RecircleError).message).toMatch(because);
    return;
  }
  throw new Error(`accepted ${text}`);
}

/** The QR code the app draws (error correction M, byte mode): its version, from its size (17 + 4 × version). */
function qrVersion(text: string) {
  const code = qrcode(0, "M");
  code.addData(text, "Byte");
  code.make();
  return (code.getModuleCount() - 17) / 4;
}

describe("a passkey wallet's offline voucher", () => {
  it("gives back the very signature the passkey made, once the reader puts the digest back as the challenge", () => {
    for (const flags of [{}, { otherKeys: true }, { backupEligible: true, backedUp: true }]) {
      const { passkey, signature, text } = passkeyVoucher(undefined, flags);
      expect(text.startsWith("recircle:v2:")).toBe(true);
      const decoded = decodeVoucher(text);
      expect(decoded.signature).toBeUndefined();
      const { assertion, ...read } = decoded;
      expect(read).toEqual(terms);
      expect(assertionSignature(assertion!, digest)).toBe(signature);
      expect(isPasskeyAssertion(digest, assertionSignature(assertion!, digest), passkey)).toBe(true);
    }
  });

  it("keeps client data no template knows byte for byte (another key order, a cross-origin frame)", () => {
    const passkey = new SoftwarePasskey();
    const parts = passkey.assertionParts(digest);
    const challenge = Buffer.from(getBytes(digest)).toString("base64url");
    // Not signed by the passkey (the bytes change), but the voucher must carry them unchanged all the same.
    for (const json of [
      `{"type":"webauthn.get","challenge":"${challenge}","origin":"https://recircle.example","crossOrigin":true,"topOrigin":"https://x.example"}`,
      `{"challenge":"${challenge}","type":"webauthn.get","origin":"https://recircle.example"}`,
    ]) {
      const typeIndex = Buffer.from(json).indexOf('"type"');
      const signature = encodeWebAuthnAuth({ ...parts, clientDataJSON: json, challengeIndex: Buffer.from(json).indexOf('"challenge"'), typeIndex });
      const { assertion } = decodeVoucher(encodeVoucher({ ...terms, signature }));
      expect(assertionSignature(assertion!, digest)).toBe(signature);
    }
  });

  it("leaves the ERC-6492 wrapper out: the same voucher before and after the account exists", () => {
    const { passkey, signature, text } = passkeyVoucher();
    const wrapped = wrappedForCreation(Wallet.createRandom().address, passkey, signature);
    expect(encodeVoucher({ ...terms, signature: wrapped })).toBe(text);
  });

  it("lets the reader recover the passkey's key from the signature, so the voucher need not carry it", () => {
    const { passkey, text } = passkeyVoucher();
    const { assertion } = decodeVoucher(text);
    const keys = recoverP256Keys(assertionMessageHash(assertion!, digest), BigInt(assertion!.r), BigInt(assertion!.s));
    expect(keys).toContainEqual({ qx: passkey.qx, qy: passkey.qy });
    // Other terms, another challenge: no key recovered is the passkey's.
    const other = digestOf({ ...terms, value: terms.value + 1n });
    const wrong = recoverP256Keys(assertionMessageHash(assertion!, other), BigInt(assertion!.r), BigInt(assertion!.s));
    expect(wrong).not.toContainEqual({ qx: passkey.qx, qy: passkey.qy });
  });

  it("does not pass for other terms: the challenge put back is the other terms' digest", () => {
    const { passkey, text } = passkeyVoucher();
    const { assertion } = decodeVoucher(text);
    const other = digestOf({ ...terms, to: Wallet.createRandom().address });
    expect(isPasskeyAssertion(other, assertionSignature(assertion!, other), passkey)).toBe(false);
  });

  it("fits a QR code a phone photo reads: measured at error correction M", () => {
    const sizes = [{}, { otherKeys: true }].map((flags) => {
      const { text } = passkeyVoucher(undefined, flags);
      return { characters: text.length, bytes: Buffer.from(text.slice(12), "base64url").length, version: qrVersion(text) };
    });
    console.log(`passkey voucher: ${JSON.stringify(sizes)}; a key's voucher: 238 characters, version ${qrVersion(`recircle:v1:${"A".repeat(226)}`)}`);
    // 104 bytes of terms, 64 of r and s, 37 of authenticator data, 3 + the origin of client data.
    expect(sizes[0]).toEqual({ characters: 328, bytes: 237, version: 13 });
    // Chrome's decoy member costs nothing: it is part of a template.
    expect(sizes[1]).toEqual(sizes[0]);
  });

  it("refuses a wrong version, a truncated voucher, an unknown client data form and client data without its blank challenge", () => {
    const { text } = passkeyVoucher();
    const body = () => Buffer.from(text.slice(12), "base64url");
    const rebuilt = (bytes: Buffer) => `recircle:v2:${bytes.toString("base64url")}`;
    refused(text.replace("recircle:v2:", "recircle:v3:"), /must start with/);
    refused(text.replace("recircle:v2:", "recircle:v1:"), /169 bytes/);
    refused(rebuilt(body().subarray(0, 104)), /cut short/);
    refused(rebuilt(body().subarray(0, 150)), /cut short/);
    refused(rebuilt(body().subarray(0, body().length - 1)), /length it says/);
    refused(rebuilt(Buffer.concat([body(), Buffer.from([0])])), /length it says/);
    const formAt = 104 + 64 + 1 + 37;
    const unknownForm = body();
    unknownForm[formAt] = 9;
    refused(rebuilt(unknownForm), /unknown form/);
    // The full-text form, with a challenge left in: a reader would have nowhere to put the digest.
    const json = Buffer.from('{"type":"webauthn.get","challenge":"abc","origin":"https://recircle.example"}');
    const fullText = Buffer.concat([body().subarray(0, formAt), Buffer.from([0, 0, json.length]), json]);
    refused(rebuilt(fullText), /challenge left out/);
    const quoted = Buffer.concat([body().subarray(0, formAt), Buffer.from([1, 0, 3]), Buffer.from('a"b')]);
    refused(rebuilt(quoted), /origin/);
  });

  it("refuses r or s out of range (s above n/2 included: the phone folds it)", () => {
    const { text } = passkeyVoucher();
    const body = () => Buffer.from(text.slice(12), "base64url");
    const rebuilt = (bytes: Buffer) => `recircle:v2:${bytes.toString("base64url")}`;
    for (const [at, value] of [[104, 0n], [104, P256_N], [136, 0n], [136, P256_N / 2n + 1n], [136, 2n ** 256n - 1n]] as const) {
      const bytes = body();
      bytes.set(getBytes(toBeHex(value, 32)), at);
      refused(rebuilt(bytes), /out of range/);
    }
  });

  it("any one byte changed is refused as a voucher, or read into a signature that does not pass: never a crash", () => {
    const { passkey, text } = passkeyVoucher();
    const body = Buffer.from(text.slice(12), "base64url");
    fc.assert(
      // From byte 4: the program id picks the token, whose domain this test holds fixed.
      fc.property(fc.integer({ min: 4, max: body.length - 1 }), fc.integer({ min: 1, max: 255 }), (at, xor) => {
        const bytes = Buffer.from(body);
        bytes[at]! ^= xor;
        let decoded;
        try {
          decoded = decodeVoucher(`recircle:v2:${bytes.toString("base64url")}`);
        } catch (error) {
          expect(error).toBeInstanceOf(RecircleError);
          return;
        }
        const changedDigest = digestOf(decoded);
        expect(isPasskeyAssertion(changedDigest, assertionSignature(decoded.assertion!, changedDigest), passkey)).toBe(false);
      }),
      { numRuns: 300 },
    );
  });

  it("refuses to encode an assertion whose challenge is not a digest where its index says", () => {
    const parts = new SoftwarePasskey().assertionParts(digest);
    expect(() => encodeVoucher({ ...terms, signature: encodeWebAuthnAuth({ ...parts, challengeIndex: parts.challengeIndex + 1 }) })).toThrow(RangeError);
    const short = parts.clientDataJSON.replace(/"challenge":"[^"]+"/, '"challenge":"abc"');
    expect(() => encodeVoucher({ ...terms, signature: encodeWebAuthnAuth({ ...parts, clientDataJSON: short }) })).toThrow(RangeError);
  });
});
