/**
 * The P-256 public keys that could have made a signature, from the signature and its message hash (ECDSA public key
 * recovery, SEC 1 §4.1.6). A passkey voucher does not carry its key: when the account does not exist yet, the API
 * finds the key whose account address is the payer's, and names it in the ERC-6492 wrapper that creates the account.
 * Pure bigint arithmetic, in affine coordinates: a few tens of milliseconds, once per voucher of a new account. It
 * only ever proposes a key; the signature is then checked against it the usual way (node:crypto, then the token).
 */
import { hexlify, toBeHex } from "ethers";
import type { PasskeyKey } from "./account-signature.js";
import { P256_N } from "./webauthn-auth.js";

const P = 0xffffffff00000001000000000000000000000000ffffffffffffffffffffffffn;
const B = 0x5ac635d8aa3a93e7b3ebbd55769886bc651d06b0cc53b0f63bce3c3e27d2604bn;
const G: Point = {
  x: 0x6b17d1f2e12c4247f8bce6e563a440f277037d812deb33a0f4a13945d898c296n,
  y: 0x4fe342e2fe1a7f9b8ee7eb4a7c0f9e162bce33576b315ececbb6406837bf51f5n,
};

interface Point {
  x: bigint;
  y: bigint;
}

const mod = (a: bigint, m: bigint) => ((a % m) + m) % m;

function pow(base: bigint, exponent: bigint, m: bigint): bigint {
  let result = 1n;
  let b = mod(base, m);
  for (let e = exponent; e > 0n; e >>= 1n) {
    if (e & 1n) result = (result * b) % m;
    b = (b * b) % m;
  }
  return result;
}

/** The inverse modulo a prime, by the extended Euclidean algorithm (faster than Fermat's power in bigints). */
function invert(a: bigint, m: bigint): bigint {
  let [low, high, x, lastX] = [mod(a, m), m, 1n, 0n];
  while (low > 1n) {
    const q = high / low;
    [low, high] = [high - q * low, low];
    [x, lastX] = [lastX - q * x, x];
  }
  return mod(x, m);
}

/** Point addition on y² = x³ − 3x + b; undefined is the point at infinity. */
function add(a: Point | undefined, b: Point | undefined): Point | undefined {
  if (!a) return b;
  if (!b) return a;
  let slope: bigint;
  if (a.x === b.x) {
    if (mod(a.y + b.y, P) === 0n) return undefined;
    slope = mod((3n * a.x * a.x - 3n) * invert(2n * a.y, P), P);
  } else {
    slope = mod((b.y - a.y) * invert(b.x - a.x, P), P);
  }
  const x = mod(slope * slope - a.x - b.x, P);
  return { x, y: mod(slope * (a.x - x) - a.y, P) };
}

function multiply(point: Point, scalar: bigint): Point | undefined {
  let result: Point | undefined;
  let addend: Point | undefined = point;
  for (let k = scalar; k > 0n; k >>= 1n) {
    if (k & 1n) result = add(result, addend);
    addend = add(addend, addend);
  }
  return result;
}

/**
 * The keys Q with s·R = e·G + r·Q for the two points R of x-coordinate r (x = r + n is left out: r ≥ p − n has a
 * chance of about 2⁻¹²⁸). `hash` is the 32-byte message hash as the signer hashed it (SHA-256 for ES256).
 */
export function recoverP256Keys(hash: Uint8Array, r: bigint, s: bigint): PasskeyKey[] {
  if (r <= 0n || r >= P256_N || s <= 0n || s >= P256_N || hash.length !== 32) return [];
  const e = mod(BigInt(hexlify(hash)), P256_N);
  const ySquared = mod(r * r * r - 3n * r + B, P);
  // P ≡ 3 (mod 4): the square root is a single power.
  const y = pow(ySquared, (P + 1n) / 4n, P);
  if ((y * y) % P !== ySquared) return [];
  const rInverse = invert(r, P256_N);
  const u1 = mod(-e * rInverse, P256_N);
  const u2 = mod(s * rInverse, P256_N);
  const keys: PasskeyKey[] = [];
  for (const candidate of [y, P - y]) {
    const q = add(multiply(G, u1), multiply({ x: r, y: candidate }, u2));
    if (q) keys.push({ qx: toBeHex(q.x, 32), qy: toBeHex(q.y, 32) });
  }
  return keys;
}
