import { createHash, generateKeyPairSync, sign, verify } from "node:crypto";
import { getBytes, hexlify, keccak256, toBeHex, toUtf8Bytes } from "ethers";
import { describe, expect, it } from "vitest";
import { isPasskeyAssertion } from "../../../services/core/account-signature.js";
import { encodeWebAuthnAuth, P256_N, p256KeyFromSpki, p256SignatureFromDer, webAuthnAuth } from "../../../services/core/webauthn-auth.js";

const digest = keccak256(toUtf8Bytes("pay 2 OCP to Warung Bu Tini"));
const sha256 = (data: Uint8Array) => new Uint8Array(createHash("sha256").update(data).digest());

/** A platform authenticator as the phone's browser hands it over: an SPKI public key, DER signatures. */
function browserPasskey() {
  const { privateKey, publicKey } = generateKeyPairSync("ec", { namedCurve: "prime256v1" });
  const spki = new Uint8Array(publicKey.export({ type: "spki", format: "der" }));
  /** Chrome sometimes adds a key to the client data so nobody compares it with a template: the indexes must move. */
  const assert = (challenge: string, extraKey = false) => {
    const clientData = {
      type: "webauthn.get",
      challenge: Buffer.from(getBytes(challenge)).toString("base64url"),
      origin: "http://localhost:5173",
      crossOrigin: false,
      ...(extraKey ? { other_keys_can_be_added_here: "do not compare clientDataJSON against a template" } : {}),
    };
    const clientDataJSON = new TextEncoder().encode(extraKey ? JSON.stringify({ other: "é", ...clientData }) : JSON.stringify(clientData));
    const authenticatorData = new Uint8Array([...sha256(new TextEncoder().encode("localhost")), 0x05, 0, 0, 0, 7]);
    const der = sign("sha256", new Uint8Array([...authenticatorData, ...sha256(clientDataJSON)]), { key: privateKey, dsaEncoding: "der" });
    return { authenticatorData, clientDataJSON, der: new Uint8Array(der) };
  };
  return { spki, publicKey, assert };
}

describe("a browser's WebAuthn assertion, encoded as the passkey account reads it", () => {
  it("passes the token's check from the SPKI key and the DER signature, wherever the client data puts its keys", () => {
    const passkey = browserPasskey();
    const key = p256KeyFromSpki(passkey.spki);
    for (const extraKey of [false, true]) {
      const { authenticatorData, clientDataJSON, der } = passkey.assert(digest, extraKey);
      const { r, s } = p256SignatureFromDer(der);
      const encoded = encodeWebAuthnAuth(webAuthnAuth(r, s, authenticatorData, clientDataJSON));
      expect(isPasskeyAssertion(digest, encoded, key), `extra key: ${extraKey}`).toBe(true);
      expect(isPasskeyAssertion(keccak256(toUtf8Bytes("another")), encoded, key)).toBe(false);
    }
  });

  it("folds a high s below n/2, the same signature in the form the account takes", () => {
    const high = P256_N - 5n;
    expect(webAuthnAuth(1n, high, new Uint8Array(37), new TextEncoder().encode('{"type":"webauthn.get","challenge":""}')).s).toBe(toBeHex(5n, 32));
    const passkey = browserPasskey();
    const { authenticatorData, clientDataJSON, der } = passkey.assert(digest);
    const { r, s } = p256SignatureFromDer(der);
    const folded = webAuthnAuth(r, s, authenticatorData, clientDataJSON);
    const signed = new Uint8Array([...authenticatorData, ...sha256(clientDataJSON)]);
    const p1363 = Buffer.concat([getBytes(folded.r), getBytes(folded.s)]);
    expect(BigInt(folded.s) <= P256_N / 2n).toBe(true);
    expect(verify("sha256", signed, { key: passkey.publicKey, dsaEncoding: "ieee-p1363" }, p1363)).toBe(true);
  });

  it("refuses a key of another curve and a signature that is not DER", () => {
    const p384 = generateKeyPairSync("ec", { namedCurve: "secp384r1" }).publicKey.export({ type: "spki", format: "der" });
    expect(() => p256KeyFromSpki(new Uint8Array(p384))).toThrow("not an uncompressed P-256 public key");
    const der = browserPasskey().assert(digest).der;
    for (const bad of [der.subarray(0, der.length - 1), new Uint8Array([...der, 0]), getBytes(hexlify(new Uint8Array(64)))]) {
      expect(() => p256SignatureFromDer(bad)).toThrow("not a DER-encoded P-256 signature");
    }
    const zeroR = getBytes(`0x3006020100020101`);
    expect(() => p256SignatureFromDer(zeroR)).toThrow();
    expect(toBeHex(p256SignatureFromDer(getBytes("0x3006020101020102")).s)).toBe("0x02");
  });
});
