import { randomBytes } from "node:crypto";
import { badRequest } from "./errors.js";

/** `whsec_` then 32 random bytes in base64url: the HMAC key of one subscription, shown to its member once. */
export function generateWebhookSecret(): string {
  return `whsec_${randomBytes(32).toString("base64url")}`;
}

/**
 * The URL a subscription delivers to, normalized, or a 400. Only http and https; no credentials (they
 * would be stored and logged in clear, and the signature already authenticates us to the receiver); no
 * fragment (never sent anyway, so it only hides a mistake).
 */
export function parseWebhookUrl(text: string): string {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw badRequest("RC_WEBHOOK_URL_INVALID", "url must be an absolute http or https URL");
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    throw badRequest("RC_WEBHOOK_URL_INVALID", `url must use http or https, not ${url.protocol.replace(":", "")}`);
  }
  if (url.username || url.password || /^[a-z]+:\/\/[^/?#]*@/i.test(text)) {
    throw badRequest("RC_WEBHOOK_URL_INVALID", "url must not carry credentials");
  }
  if (!url.hostname) throw badRequest("RC_WEBHOOK_URL_INVALID", "url needs a host");
  if (url.hash || text.includes("#")) throw badRequest("RC_WEBHOOK_URL_INVALID", "url must not have a fragment");
  return url.toString();
}
