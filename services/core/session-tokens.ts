/**
 * Collectors' session tokens: `<base64url payload>.<base64url HMAC-SHA256 of the payload text>`, the payload
 * `{"sub": <checksummed wallet>, "exp": <unix seconds>}`. A token is a short-lived read pass a collector gets
 * for one EIP-712 login signature, so the phone does not sign every request; nothing is stored server-side,
 * and every API process holding the same secret accepts it.
 */
import { createHmac, timingSafeEqual } from "node:crypto";

/** Fifteen minutes: long enough for a session on the phone, short enough that a leaked token soon dies. */
export const SESSION_TTL_S = 15 * 60;
/** Shorter secrets are refused: HMAC-SHA256 should be keyed with at least 128 bits of randomness. */
export const MIN_SECRET_LENGTH = 32;

export interface SessionClaims {
  /** The collector's wallet address (EIP-55). */
  sub: string;
  /** Expiry, unix seconds. */
  exp: number;
}

export type SessionCheck =
  | { ok: true; claims: SessionClaims }
  | { ok: false; reason: "malformed" | "bad-signature" | "expired" };

const BASE64URL = /^[A-Za-z0-9_-]+$/;

function mac(payload: string, secret: string): string {
  if (secret.length < MIN_SECRET_LENGTH) throw new Error(`a session secret needs at least ${MIN_SECRET_LENGTH} characters`);
  return createHmac("sha256", secret).update(payload).digest("base64url");
}

export function signSessionToken(claims: SessionClaims, secret: string): string {
  const payload = Buffer.from(JSON.stringify({ sub: claims.sub, exp: claims.exp })).toString("base64url");
  return `${payload}.${mac(payload, secret)}`;
}

/** A token for `sub` valid from `nowS` for SESSION_TTL_S. */
export function issueSessionToken(sub: string, secret: string, nowS: number): { token: string; exp: number } {
  const exp = nowS + SESSION_TTL_S;
  return { token: signSessionToken({ sub, exp }, secret), exp };
}

/**
 * Checks the MAC, then the expiry at `nowS`. The MAC is compared as text, not as decoded bytes: base64url
 * decoding ignores the spare bits of the last character, so a byte comparison would accept altered tokens.
 * The payload is parsed only once the MAC proves we wrote it.
 */
export function verifySessionToken(token: string, secret: string, nowS: number): SessionCheck {
  const parts = token.split(".");
  if (parts.length !== 2 || !BASE64URL.test(parts[0]!) || !BASE64URL.test(parts[1]!)) {
    return { ok: false, reason: "malformed" };
  }
  const [payload, given] = parts as [string, string];
  const expected = Buffer.from(mac(payload, secret));
  const actual = Buffer.from(given);
  if (actual.length !== expected.length || !timingSafeEqual(actual, expected)) return { ok: false, reason: "bad-signature" };

  let claims: unknown;
  try {
    claims = JSON.parse(Buffer.from(payload, "base64url").toString("utf8"));
  } catch {
    return { ok: false, reason: "malformed" };
  }
  const { sub, exp } = (claims ?? {}) as Partial<SessionClaims>;
  if (typeof sub !== "string" || typeof exp !== "number" || !Number.isSafeInteger(exp)) return { ok: false, reason: "malformed" };
  if (nowS >= exp) return { ok: false, reason: "expired" };
  return { ok: true, claims: { sub, exp } };
}
