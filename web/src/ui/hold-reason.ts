import { t, type MessageKey } from "../i18n.js";

/**
 * Why a credit is held for an operator's review, in the person's words: each of the API's hold codes
 * (services/core/fraud.ts HOLD_REASONS) has a `hold.<code>` message in both languages; a code this app does not
 * know yet is said generally, never shown raw.
 */
export function holdReasonWords(codes: readonly string[]): string {
  const words = codes.map((code) => {
    const key = `hold.${code}` as MessageKey;
    const text = t(key);
    return text === key ? t("hold.other") : text;
  });
  return [...new Set(words)].join("; ");
}
