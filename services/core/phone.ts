/**
 * Phone-only collectors: their number is never stored, only `phoneKey` — an HMAC-SHA256 of the E.164 form
 * keyed by PHONE_SALT, so a leaked database cannot be reversed by hashing every number (there are only
 * ~10^10 per country). Claim codes are hashed the same way for the same reason: 10^6 codes are no secret
 * against an offline search, but they are without the salt.
 */
import { createHmac, randomInt, timingSafeEqual } from "node:crypto";
import { normalisePhone } from "./phone-number.js";

// Parsing lives in its own module, without node:crypto, so the point's screen reads numbers the same way.
export { maskPhone, normalisePhone, parsePhone, PHONE_COUNTRY } from "./phone-number.js";

/** Shorter salts are refused: the HMAC should be keyed with at least 128 bits of randomness. */
export const MIN_SALT_LENGTH = 32;
/** A claim code lives 15 minutes: long enough to open a wallet app at the point, short enough to go stale. */
export const CLAIM_CODE_TTL_S = 15 * 60;
/** Wrong codes allowed per issued code; the next one burns it (a 6-digit code must not be guessed). */
export const CLAIM_CODE_MAX_ATTEMPTS = 5;

export function phoneKey(salt: string, phone: string): string {
  if (salt.length < MIN_SALT_LENGTH) throw new Error(`a phone salt needs at least ${MIN_SALT_LENGTH} characters`);
  return createHmac("sha256", salt).update(normalisePhone(phone)).digest("hex");
}

/** A fresh six-digit code, uniformly drawn (leading zeros kept). */
export function newClaimCode(): string {
  return String(randomInt(0, 1_000_000)).padStart(6, "0");
}

/** The stored form of a code: bound to its phone key, so one hash cannot be replayed for another number. */
export function claimCodeHash(salt: string, key: string, code: string): string {
  return createHmac("sha256", salt).update(`claim:${key}:${code}`).digest("hex");
}

export function claimCodeMatches(salt: string, key: string, code: string, storedHash: string): boolean {
  const given = Buffer.from(claimCodeHash(salt, key, code), "hex");
  const stored = Buffer.from(storedHash, "hex");
  return given.length === stored.length && timingSafeEqual(given, stored);
}
