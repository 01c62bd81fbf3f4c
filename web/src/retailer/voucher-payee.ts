/**
 * The payee of an offline voucher (`recircle:v1:` or `recircle:v2:`, then base64url; bytes 24..43 in both, the
 * layout is in services/core/voucher.ts), read in the page so a shop is told at once that a voucher pays someone
 * else. Undefined when the text is not a voucher; the API checks everything else.
 */
export function voucherPayee(text: string): string | undefined {
  const match = /^recircle:v([12]):([A-Za-z0-9_-]+)$/.exec(text.trim());
  if (!match) return undefined;
  const base64 = match[2]!.replace(/-/g, "+").replace(/_/g, "/");
  let binary: string;
  try {
    binary = atob(base64 + "=".repeat((4 - (base64.length % 4)) % 4));
  } catch {
    return undefined;
  }
  // A key's voucher is 169 bytes; a passkey's is longer (its assertion), never shorter than its terms and r, s.
  if (match[1] === "1" ? binary.length !== 169 : binary.length < 168) return undefined;
  let hex = "0x";
  for (let i = 24; i < 44; i++) hex += binary.charCodeAt(i).toString(16).padStart(2, "0");
  return hex;
}
