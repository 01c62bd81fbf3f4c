import { createHash, randomBytes } from "node:crypto";

/** `rck_` then 32 random bytes in base64url: long enough that a plain SHA-256 is a safe way to store it. */
export function generateApiKey(): string {
  return `rck_${randomBytes(32).toString("base64url")}`;
}

export function hashApiKey(key: string): Buffer {
  return createHash("sha256").update(key).digest();
}
