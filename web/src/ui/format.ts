/**
 * A decimal string from the API shown with at most `places` decimals (cut, never rounded up), trailing zeros
 * dropped, grouped as `locale` writes numbers ("1,234.5" in English, "1.234,5" in Indonesian). The string is
 * formatted as the exact decimal it is: never through a float.
 */
export function formatAmount(amount: string, places = 2, locale = "en"): string {
  const format = new Intl.NumberFormat(locale, { maximumFractionDigits: places, roundingMode: "trunc" });
  return format.format(amount as Intl.StringNumericLiteral);
}

/** Money with its unit: "1,234.5 tUSD" ("1.234,5 tUSD" in Indonesian), every decimal the currency has kept. */
export const formatMoney = (amount: string, symbol: string, decimals: number, locale = "en") =>
  `${formatAmount(amount, decimals, locale)} ${symbol}`.trim();

/**
 * A date (an ISO instant) as `locale` writes a day: "3 Dec 2026", "3 Des 2026"; in UTC, as the report's weeks are,
 * or on the phone's own clock (`"local"`: a shop's payout is on the day its owner lived it).
 */
export const formatDay = (at: string, locale = "en", zone: "UTC" | "local" = "UTC") =>
  new Intl.DateTimeFormat(locale, { dateStyle: "medium", timeZone: zone === "UTC" ? "UTC" : undefined }).format(new Date(at));

/** A calendar day (`2026-12-03`, a day's own date, no instant) short, with its weekday: "Thu, Dec 3" ("Kam, 3 Des"). */
export const formatWeekday = (date: string, locale = "en") =>
  new Intl.DateTimeFormat(locale, { weekday: "short", day: "numeric", month: "short", timeZone: "UTC" }).format(new Date(date));

/** A time of day on a 24-hour clock, the narrowest: "16:05" ("16.05" in Indonesian), in `timeZone` or the phone's. */
export const formatHour = (at: string | Date, locale = "en", timeZone?: string) =>
  new Intl.DateTimeFormat(locale, { hour: "2-digit", minute: "2-digit", hourCycle: "h23", timeZone }).format(new Date(at));

/** The first 0x address in a scanned or typed code: a bare address, `ethereum:0x…@1`, or a URL holding one. */
export function addressIn(text: string): string | undefined {
  return /0x[0-9a-fA-F]{40}/.exec(text)?.[0];
}

export const shortAddress = (address: string) => `${address.slice(0, 6)}…${address.slice(-4)}`;

/** Grams as a person weighs, as `locale` writes numbers: "850 g" under a kilogram, "40 kg" or "1.5 kg" ("1,5 kg") above. */
export const formatWeight = (grams: number, locale = "en") =>
  grams < 1000
    ? `${new Intl.NumberFormat(locale).format(grams)} g`
    : `${new Intl.NumberFormat(locale, { maximumFractionDigits: 2 }).format(grams / 1000)} kg`;

/** A count as `locale` writes numbers: "1,234" ("1.234" in Indonesian). */
export const formatCount = (count: number, locale = "en") => new Intl.NumberFormat(locale).format(count);

/**
 * An instant as `locale` writes a day and a time: "Dec 3, 2026, 3:04 PM" ("3 Des 2026, 15.04"), or `short`ly
 * ("12/3/26, 3:04 PM", "03/12/26, 15.04") where a line is narrow; in `timeZone` (the phone's own when none is
 * given: a person reads the time on their own clock).
 */
export const formatMoment = (at: string | Date, locale = "en", timeZone?: string, dateStyle: "medium" | "short" = "medium") =>
  new Intl.DateTimeFormat(locale, { dateStyle, timeStyle: "short", timeZone }).format(new Date(at));

/** A time of day as `locale` writes it, with seconds: "3:04:05 PM" ("15.04.05"), on the phone's clock. */
export const formatClock = (at: Date, locale = "en") => new Intl.DateTimeFormat(locale, { timeStyle: "medium" }).format(at);
