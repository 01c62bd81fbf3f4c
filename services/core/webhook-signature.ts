import { createHmac, timingSafeEqual } from "node:crypto";

/**
 * Webhook signatures, Stripe-style: `Recircle-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256(secret,
 * "<t>.<body>")>`. The timestamp is inside the MAC so a captured delivery cannot be replayed later with a
 * fresh `t`; receivers refuse a `t` outside their tolerance. Pure functions: no clock, no I/O.
 */
export const SIGNATURE_HEADER = "Recircle-Signature";

export function signWebhook(secret: string, timestamp: number, body: string): string {
  return createHmac("sha256", secret).update(`${timestamp}.${body}`).digest("hex");
}

export function signatureHeader(secret: string, timestamp: number, body: string): string {
  return `t=${timestamp},v1=${signWebhook(secret, timestamp, body)}`;
}

export type VerifyResult =
  | { ok: true; timestamp: number }
  | { ok: false; reason: "malformed" | "stale" | "mismatch" };

/**
 * Checks a `Recircle-Signature` header against the raw request body (the exact bytes received, before
 * any JSON parsing). `now` is unix seconds; a timestamp more than `toleranceS` away either way is stale.
 * Several v1 values are accepted (one matching is enough) so a secret can be rotated without a gap.
 */
export function verifyWebhookSignature(
  secret: string,
  header: string | undefined,
  body: string,
  now: number,
  toleranceS = 300,
): VerifyResult {
  if (!header) return { ok: false, reason: "malformed" };
  let timestamp: number | undefined;
  const candidates: string[] = [];
  for (const part of header.split(",")) {
    const [key, value] = part.trim().split("=", 2);
    if (key === "t" && value && /^\d{1,12}$/.test(value)) timestamp = Number(value);
    else if (key === "v1" && value && /^[0-9a-f]{64}$/.test(value)) candidates.push(value);
  }
  if (timestamp === undefined || candidates.length === 0) return { ok: false, reason: "malformed" };
  if (Math.abs(now - timestamp) > toleranceS) return { ok: false, reason: "stale" };
  const expected = Buffer.from(signWebhook(secret, timestamp, body), "hex");
  // Constant time: a byte-by-byte comparison would tell an attacker how much of a guess is right.
  const matches = candidates.some((candidate) => timingSafeEqual(Buffer.from(candidate, "hex"), expected));
  return matches ? { ok: true, timestamp } : { ok: false, reason: "mismatch" };
}
