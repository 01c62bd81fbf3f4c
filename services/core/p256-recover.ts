/**
 * The P-256 public keys that could have made a signature, from the signature and its message hash (ECDSA public key
 * recovery, SEC 1 §4.1.6). A passkey voucher does not carry its key: when the account does not exist yet, the API
 * finds the key whose account address is the payer's, and names it in the ERC-6492 wrapper that creates the account.
 * The curve arithmetic is @noble/curves' (audited; the same release ethers uses for secp256k1). Recovery only ever
 * proposes a key: the signature is then checked against it the usual way (node:crypto, then the token).
 */
import { p256 } from "@noble/curves/p256";
import { toBeHex } from "ethers";
import type { PasskeyKey } from "./account-signature.js";
import { P256_N } from "./webauthn-auth.js";

/**
 * The keys Q with s·R = e·G + r·Q for the two points R of x-coordinate r (recovery ids 0 and 1; x = r + n, ids 2
 * and 3, is left out: r ≥ p − n has a chance of about 2⁻¹²⁸). `hash` is the 32-byte message hash as the signer hashed
 * it (SHA-256 for ES256).
 */
export function recoverP256Keys(hash: Uint8Array, r: bigint, s: bigint): PasskeyKey[] {
  if (r <= 0n || r >= P256_N || s <= 0n || s >= P256_N || hash.length !== 32) return [];
  const keys: PasskeyKey[] = [];
  for (const recovery of [0, 1]) {
    try {
      const q = new p256.Signature(r, s).addRecoveryBit(recovery).recoverPublicKey(hash).toAffine();
      keys.push({ qx: toBeHex(q.x, 32), qy: toBeHex(q.y, 32) });
    } catch {
      // No point on the curve has x = r for this id, or the key would be the point at infinity: no candidate.
    }
  }
  return keys;
}
