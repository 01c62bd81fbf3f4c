/**
 * A passkey's WebAuthn assertion as an offline voucher carries it (services/core/voucher.ts, recircle:v2): r, s,
 * the authenticator data, and the client data JSON with its challenge left out. The challenge is the EIP-712 digest
 * of the voucher's own terms, so whoever reads the voucher computes it and puts base64url(digest) back in its place;
 * every other byte (origin, crossOrigin, any key the browser adds) is kept, since the signature covers them all.
 * Pure, shared by the phone (which writes it), the API (which reads it) and the tests.
 */
import { concat, getBytes, hexlify, sha256, toUtf8Bytes, toUtf8String } from "ethers";
import { unwrappedFromCreation } from "./counterfactual-account.js";
import { decodeWebAuthnAuth, encodeWebAuthnAuth, P256_N, webAuthnAuth } from "./webauthn-auth.js";

export interface VoucherAssertion {
  r: string;
  s: string;
  authenticatorData: string;
  /** The client data JSON as the authenticator signed it, but with `"challenge":""`. */
  clientData: string;
}

const CHALLENGE_KEY = '"challenge":"';
/** base64url of a 32-byte digest, unpadded. */
const CHALLENGE_LENGTH = 43;
/** At most 255 bytes of authenticator data (37 without extensions) and 400 of client data: a QR code's worth. */
const MAX_CLIENT_DATA = 400;

/**
 * Lossless shorthands for the client data every browser writes today, which then costs only its origin: Chrome adds
 * its "other_keys" member now and then, precisely so no one compares client data to a template; the shorthand is
 * used only when the template gives back exactly the same bytes, and the full text is carried otherwise.
 */
const TEMPLATES = [
  (origin: string) => `{"type":"webauthn.get","challenge":"","origin":"${origin}","crossOrigin":false}`,
  (origin: string) =>
    `{"type":"webauthn.get","challenge":"","origin":"${origin}","crossOrigin":false,` +
    `"other_keys_can_be_added_here":"do not compare clientDataJSON against a template. See https://goo.gl/yabPex"}`,
];
const ORIGIN = /"origin":"([^"\\]*)"/;
const FULL_TEXT = 0;

/** The assertion in a passkey wallet's signature (its WebAuthnAuth, perhaps wrapped as ERC-6492), challenge taken out. */
export function voucherAssertion(signature: string): VoucherAssertion {
  const auth = decodeWebAuthnAuth(unwrappedFromCreation(signature));
  const json = auth.clientDataJSON;
  const start = json.indexOf(CHALLENGE_KEY);
  const value = start < 0 ? "" : json.slice(start + CHALLENGE_KEY.length, start + CHALLENGE_KEY.length + CHALLENGE_LENGTH + 1);
  // The first "challenge" is where the account reads it, and its value is a digest, closed by its quote.
  if (start < 0 || !/^[A-Za-z0-9_-]{43}"$/.test(value) || new TextEncoder().encode(json.slice(0, start)).length !== auth.challengeIndex) {
    throw new RangeError("the assertion's client data has no 32-byte challenge where its index says");
  }
  const clientData = json.slice(0, start + CHALLENGE_KEY.length) + json.slice(start + CHALLENGE_KEY.length + CHALLENGE_LENGTH);
  return { r: auth.r, s: auth.s, authenticatorData: auth.authenticatorData, clientData };
}

/** The client data JSON with base64url(`digest`) back in its place: the bytes the authenticator signed, if it signed that. */
export function clientDataWith(assertion: VoucherAssertion, digest: string): Uint8Array {
  const at = assertion.clientData.indexOf(CHALLENGE_KEY) + CHALLENGE_KEY.length;
  const challenge = toBase64url(getBytes(digest));
  return toUtf8Bytes(assertion.clientData.slice(0, at) + challenge + assertion.clientData.slice(at));
}

/** The signature as the account checks it (WebAuthnAuth, ABI-encoded) for the voucher's `digest`. */
export function assertionSignature(assertion: VoucherAssertion, digest: string): string {
  const auth = webAuthnAuth(BigInt(assertion.r), BigInt(assertion.s), getBytes(assertion.authenticatorData), clientDataWith(assertion, digest));
  return encodeWebAuthnAuth(auth);
}

/** What the passkey signed (ES256 hashes it once more): authenticatorData ‖ sha256(clientDataJSON). */
export const assertionMessageHash = (assertion: VoucherAssertion, digest: string) =>
  getBytes(sha256(concat([assertion.authenticatorData, sha256(clientDataWith(assertion, digest))])));

/** r ‖ s ‖ authenticator data (length-prefixed) ‖ client data (a shorthand's number and origin, or 0 and the text). */
export function writeAssertion(assertion: VoucherAssertion): Uint8Array {
  const authenticatorData = getBytes(assertion.authenticatorData);
  if (authenticatorData.length < 37 || authenticatorData.length > 255) throw new RangeError("authenticator data must be 37 to 255 bytes");
  const origin = ORIGIN.exec(assertion.clientData)?.[1];
  const template = origin === undefined ? -1 : TEMPLATES.findIndex((make) => make(origin) === assertion.clientData);
  const data = toUtf8Bytes(template >= 0 ? origin! : assertion.clientData);
  if (data.length > MAX_CLIENT_DATA) throw new RangeError(`client data must be at most ${MAX_CLIENT_DATA} bytes`);
  const form = template >= 0 ? template + 1 : FULL_TEXT;
  return getBytes(concat([assertion.r, assertion.s, new Uint8Array([authenticatorData.length]), authenticatorData, new Uint8Array([form, data.length >> 8, data.length & 0xff]), data]));
}

/** `writeAssertion` undone, exactly to the end of `bytes`; a string says what is wrong. */
export function readAssertion(bytes: Uint8Array): VoucherAssertion | string {
  if (bytes.length < 64 + 1 + 37 + 3) return "its assertion is cut short";
  const authLength = bytes[64]!;
  const formAt = 65 + authLength;
  if (authLength < 37 || bytes.length < formAt + 3) return "its authenticator data is cut short";
  const form = bytes[formAt]!;
  const dataLength = (bytes[formAt + 1]! << 8) | bytes[formAt + 2]!;
  if (dataLength > MAX_CLIENT_DATA || bytes.length !== formAt + 3 + dataLength) return "its client data is not the length it says";
  let text: string;
  try {
    text = toUtf8String(bytes.subarray(formAt + 3));
  } catch {
    return "its client data is not UTF-8";
  }
  if (form > TEMPLATES.length) return "its client data is of an unknown form";
  if (form !== FULL_TEXT && /["\\]/.test(text)) return "its origin is not a plain string";
  const clientData = form === FULL_TEXT ? text : TEMPLATES[form - 1]!(text);
  const challengeAt = clientData.indexOf(CHALLENGE_KEY);
  if (challengeAt < 0 || clientData[challengeAt + CHALLENGE_KEY.length] !== '"' || !clientData.includes('"type":"webauthn.get"')) return "its client data is not an assertion's with the challenge left out";
  const [r, s] = [hexlify(bytes.subarray(0, 32)), hexlify(bytes.subarray(32, 64))];
  // The phone writes s folded below n/2, as the account takes it.
  if (BigInt(r) === 0n || BigInt(r) >= P256_N || BigInt(s) === 0n || BigInt(s) > P256_N / 2n) return "its signature is out of range";
  return { r, s, authenticatorData: hexlify(bytes.subarray(65, formAt)), clientData };
}

const toBase64url = (bytes: Uint8Array) => {
  let binary = "";
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
};
