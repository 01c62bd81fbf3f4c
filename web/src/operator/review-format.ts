import type { CreditEvent } from "../../../services/api/client/types.js";

/** What an event credits, in a line: "PET 5000 g → 12.5" or "purchase → 3", its material named by `nameOf`. */
export function eventSummary(event: CreditEvent, nameOf: (material: string) => string): string {
  return `${event.grams !== undefined ? `${nameOf(event.material ?? "")} ${event.grams} g` : event.type} → ${event.tokens}`;
}

const UNITS: [Intl.RelativeTimeFormatUnit, number][] = [
  ["day", 86_400],
  ["hour", 3_600],
  ["minute", 60],
];

/**
 * How long ago `iso` was, in the reader's language ("3 hours ago", "3 jam yang lalu"), to the largest whole
 * unit. A time ahead of this device's clock (a server's clock a little ahead) is "now", never "in 2 seconds".
 */
export function age(iso: string, locale: string, now = Date.now()): string {
  const seconds = Math.max(0, Math.round((now - Date.parse(iso)) / 1000));
  const format = new Intl.RelativeTimeFormat(locale, { numeric: "auto" });
  for (const [unit, size] of UNITS) {
    if (seconds >= size) return format.format(-Math.floor(seconds / size), unit);
  }
  return format.format(-seconds, "second");
}
