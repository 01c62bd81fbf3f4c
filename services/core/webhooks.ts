import { randomBytes } from "node:crypto";

/** `whsec_` then 32 random bytes in base64url: the HMAC key of one subscription, shown to its member once. */
export function generateWebhookSecret(): string {
  return `whsec_${randomBytes(32).toString("base64url")}`;
}
