import { createHash, generateKeyPairSync, randomBytes, sign } from "node:crypto";
import { hexlify, zeroPadValue } from "ethers";
import { describe, expect, it } from "vitest";
import { recoverP256Keys } from "../../../services/core/p256-recover.js";
import { P256_N } from "../../../services/core/webauthn-auth.js";

/** A fresh P-256 key (Node's crypto, as an authenticator would hold it) and its signature of a random message. */
function signed() {
  const { privateKey, publicKey } = generateKeyPairSync("ec", { namedCurve: "prime256v1" });
  const jwk = publicKey.export({ format: "jwk" });
  const key = { qx: zeroPadValue(Buffer.from(jwk.x!, "base64url"), 32), qy: zeroPadValue(Buffer.from(jwk.y!, "base64url"), 32) };
  const message = randomBytes(100);
  const signature = sign("sha256", message, { key: privateKey, dsaEncoding: "ieee-p1363" });
  const hash = new Uint8Array(createHash("sha256").update(message).digest());
  return { key, hash, r: BigInt(hexlify(signature.subarray(0, 32))), s: BigInt(hexlify(signature.subarray(32))) };
}

describe("P-256 public key recovery", () => {
  it("finds the signer's key among its two candidates, with s as signed or folded below n/2", () => {
    for (let i = 0; i < 20; i++) {
      const { key, hash, r, s } = signed();
      expect(recoverP256Keys(hash, r, s)).toContainEqual(key);
      expect(recoverP256Keys(hash, r, P256_N - s)).toContainEqual(key);
    }
  });

  it("does not find the signer's key for another message", () => {
    const { key, r, s } = signed();
    expect(recoverP256Keys(new Uint8Array(32).fill(1), r, s)).not.toContainEqual(key);
  });

  it("proposes nothing for r or s out of range or a hash of the wrong length", () => {
    const { hash, r, s } = signed();
    expect(recoverP256Keys(hash, 0n, s)).toEqual([]);
    expect(recoverP256Keys(hash, r, P256_N)).toEqual([]);
    expect(recoverP256Keys(hash.subarray(0, 31), r, s)).toEqual([]);
  });
});
