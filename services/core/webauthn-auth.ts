/**
 * A passkey's WebAuthn assertion as a passkey account checks it: OpenZeppelin's WebAuthn.WebAuthnAuth, ABI-encoded.
 * Pure (no node: imports): the phone builds it from `navigator.credentials.get`, the software passkey of the tests
 * and harnesses from Node's crypto, and both through `encodeWebAuthnAuth`, so the bytes are the same.
 */
import { AbiCoder, getBytes, hexlify, toBeHex } from "ethers";
import type { PasskeyKey } from "./account-signature.js";

/** P-256's group order: the account refuses s above n/2 (malleability), so a signature's s is folded below. */
export const P256_N = 0xffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551n;

/** The parts of an assertion the account reads, as the authenticator gave them. */
export interface WebAuthnAuth {
  r: string;
  s: string;
  /** Byte offsets of `"challenge"` and `"type"` in the client data JSON. */
  challengeIndex: number;
  typeIndex: number;
  authenticatorData: string;
  clientDataJSON: string;
}

/** s, or n − s when s is in the upper half: the same signature, in the one form the account takes. */
export const lowS = (s: bigint) => (s > P256_N / 2n ? P256_N - s : s);

/** The assertion's parts from raw r and s and the authenticator's bytes; the indexes are found in the client data. */
export function webAuthnAuth(r: bigint, s: bigint, authenticatorData: Uint8Array, clientDataJSON: Uint8Array): WebAuthnAuth {
  const json = new TextDecoder().decode(clientDataJSON);
  return {
    r: toBeHex(r, 32),
    s: toBeHex(lowS(s), 32),
    challengeIndex: byteIndexOf(clientDataJSON, '"challenge"'),
    typeIndex: byteIndexOf(clientDataJSON, '"type"'),
    authenticatorData: hexlify(authenticatorData),
    clientDataJSON: json,
  };
}

const WEBAUTHN_AUTH = ["bytes32", "bytes32", "uint256", "uint256", "bytes", "string"];

export function encodeWebAuthnAuth(auth: WebAuthnAuth): string {
  return AbiCoder.defaultAbiCoder().encode(WEBAUTHN_AUTH, [auth.r, auth.s, auth.challengeIndex, auth.typeIndex, auth.authenticatorData, auth.clientDataJSON]);
}

/** `encodeWebAuthnAuth` undone; throws on anything that is not one. */
export function decodeWebAuthnAuth(encoded: string): WebAuthnAuth {
  const [r, s, challengeIndex, typeIndex, authenticatorData, clientDataJSON] = AbiCoder.defaultAbiCoder().decode(WEBAUTHN_AUTH, encoded) as unknown as
    [string, string, bigint, bigint, string, string];
  return { r, s, challengeIndex: Number(challengeIndex), typeIndex: Number(typeIndex), authenticatorData, clientDataJSON };
}

/** The offset of `text`'s UTF-8 bytes in `bytes` (the contract counts bytes, not UTF-16 characters). */
function byteIndexOf(bytes: Uint8Array, text: string): number {
  const needle = new TextEncoder().encode(text);
  outer: for (let i = 0; i + needle.length <= bytes.length; i++) {
    for (let j = 0; j < needle.length; j++) if (bytes[i + j] !== needle[j]) continue outer;
    return i;
  }
  throw new Error(`the client data has no ${text}`);
}

/**
 * r and s of an ECDSA signature in ASN.1 DER (`SEQUENCE { INTEGER r, INTEGER s }`), as WebAuthn's ES256 gives it.
 * Anything else throws: a signature read wrong would only be refused later, with less to go on.
 */
export function p256SignatureFromDer(der: Uint8Array): { r: bigint; s: bigint } {
  const fail = () => new Error("not a DER-encoded P-256 signature");
  if (der.length < 8 || der[0] !== 0x30 || der[1] !== der.length - 2) throw fail();
  let at = 2;
  const integer = () => {
    if (der[at] !== 0x02) throw fail();
    const length = der[at + 1]!;
    if (length < 1 || length > 33 || at + 2 + length > der.length) throw fail();
    const value = BigInt(hexlify(der.subarray(at + 2, at + 2 + length)));
    at += 2 + length;
    if (value === 0n || value >= P256_N) throw fail();
    return value;
  };
  const r = integer();
  const s = integer();
  if (at !== der.length) throw fail();
  return { r, s };
}

/** The fixed DER prefix of a P-256 public key's SubjectPublicKeyInfo (id-ecPublicKey, prime256v1, uncompressed). */
const P256_SPKI_PREFIX = getBytes("0x3059301306072a8648ce3d020106082a8648ce3d03010703420004");

/** x and y of a P-256 public key in SubjectPublicKeyInfo DER, as `AuthenticatorAttestationResponse.getPublicKey()` gives it. */
export function p256KeyFromSpki(spki: Uint8Array): PasskeyKey {
  if (spki.length !== P256_SPKI_PREFIX.length + 64 || P256_SPKI_PREFIX.some((byte, i) => spki[i] !== byte)) {
    throw new Error("not an uncompressed P-256 public key");
  }
  const point = spki.subarray(P256_SPKI_PREFIX.length);
  return { qx: hexlify(point.subarray(0, 32)), qy: hexlify(point.subarray(32)) };
}
