/**
 * The P-256 public keys that could have made a signature, from the signature and its message hash (ECDSA public key
 * recovery, SEC 1 §4.1.6). A passkey voucher does not carry its key: when the account does not exist yet, the API
 * finds the key whose account address is the payer's, and names it in the ERC-6492 wrapper that creates the account.
 * Pure bigint arithmetic in Jacobian coordinates: about 10 ms, once per voucher of an account not created yet. It
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

/** A point in Jacobian coordinates (x = X/Z², y = Y/Z³): additions without an inversion each. Z = 0 is infinity. */
interface Jacobian {
  X: bigint;
  Y: bigint;
  Z: bigint;
}
const INFINITY: Jacobian = { X: 1n, Y: 1n, Z: 0n };
const jacobian = (point: Point): Jacobian => ({ X: point.x, Y: point.y, Z: 1n });

/** Doubling on a curve with a = −3 (dbl-2001-b). */
function double(a: Jacobian): Jacobian {
  if (a.Z === 0n || a.Y === 0n) return INFINITY;
  const delta = (a.Z * a.Z) % P;
  const gamma = (a.Y * a.Y) % P;
  const beta = (a.X * gamma) % P;
  const alpha = mod(3n * (a.X - delta) * (a.X + delta), P);
  const X = mod(alpha * alpha - 8n * beta, P);
  const Z = mod((a.Y + a.Z) ** 2n - gamma - delta, P);
  const Y = mod(alpha * (4n * beta - X) - 8n * gamma * gamma, P);
  return { X, Y, Z };
}

function add(a: Jacobian, b: Jacobian): Jacobian {
  if (a.Z === 0n) return b;
  if (b.Z === 0n) return a;
  const aZ2 = (a.Z * a.Z) % P;
  const bZ2 = (b.Z * b.Z) % P;
  const u1 = (a.X * bZ2) % P;
  const u2 = (b.X * aZ2) % P;
  const s1 = (a.Y * b.Z * bZ2) % P;
  const s2 = (b.Y * a.Z * aZ2) % P;
  const h = mod(u2 - u1, P);
  const r = mod(s2 - s1, P);
  if (h === 0n) return r === 0n ? double(a) : INFINITY;
  const h2 = (h * h) % P;
  const h3 = (h2 * h) % P;
  const u1h2 = (u1 * h2) % P;
  const X = mod(r * r - h3 - 2n * u1h2, P);
  const Y = mod(r * (u1h2 - X) - s1 * h3, P);
  return { X, Y, Z: (h * a.Z * b.Z) % P };
}

function multiply(point: Jacobian, scalar: bigint): Jacobian {
  let result = INFINITY;
  let addend = point;
  for (let k = scalar; k > 0n; k >>= 1n) {
    if (k & 1n) result = add(result, addend);
    addend = double(addend);
  }
  return result;
}

function affine(point: Jacobian): Point | undefined {
  if (point.Z === 0n) return undefined;
  const zInverse = invert(point.Z, P);
  const zInverse2 = (zInverse * zInverse) % P;
  return { x: (point.X * zInverse2) % P, y: (point.Y * zInverse2 * zInverse) % P };
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
  const u1G = multiply(jacobian(G), u1);
  const keys: PasskeyKey[] = [];
  for (const candidate of [y, P - y]) {
    const q = affine(add(u1G, multiply(jacobian({ x: r, y: candidate }), u2)));
    if (q) keys.push({ qx: toBeHex(q.x, 32), qy: toBeHex(q.y, 32) });
  }
  return keys;
}
