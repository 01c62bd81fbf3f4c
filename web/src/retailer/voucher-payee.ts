/**
 * The payee of an offline voucher (`recircle:v1:<base64url of 169 bytes>`, bytes 24..43; the layout is in
 * services/core/voucher.ts), read in the page so a shop is told at once that a voucher pays someone else.
 * Undefined when the text is not a voucher; the API checks everything else.
 */
export function voucherPayee(text: string): string | undefined {
  const match = /^recircle:v1:([A-Za-z0-9_-]+)$/.exec(text.trim());
  if (!match) return undefined;
  const base64 = match[1]!.replace(/-/g, "+").replace(/_/g, "/");
  let binary: string;
  try {
    binary = atob(base64 + "=".repeat((4 - (base64.length % 4)) % 4));
  } catch {
    return undefined;
  }
  if (binary.length !== 169) return undefined;
  let hex = "0x";
  for (let i = 24; i < 44; i++) hex += binary.charCodeAt(i).toString(16).padStart(2, "0");
  return hex;
}
