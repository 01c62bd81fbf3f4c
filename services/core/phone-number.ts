/**
 * Reading a phone number as people write it, the same on the server and on the point's screen (no I/O, no
 * node: imports: the web bundle imports it). libphonenumber-js knows each country's lengths and prefixes, so a
 * local `0812-3456-7890` is read with the program's country and a number no country could have is refused.
 */
import { isSupportedCountry, parsePhoneNumberFromString, type CountryCode } from "libphonenumber-js";
import { badRequest } from "./errors.js";

/**
 * The country a number without a `+` is read in when no program says otherwise: every program created before
 * programs carried their own (migration 023) runs in Indonesia, and so does a route that names no program.
 */
export const PHONE_COUNTRY: CountryCode = "ID";

/** A program's country as given (ISO 3166-1 alpha-2, "PH"), checked against the countries whose numbers we can read. */
export function phoneCountry(code: string): CountryCode {
  if (!/^[A-Z]{2}$/.test(code) || !isSupportedCountry(code)) {
    throw badRequest("RC_INVALID_COUNTRY", `phoneCountry ${JSON.stringify(code)} is not an ISO 3166-1 alpha-2 country whose phone numbers we can read, like "ID" or "PH"`);
  }
  return code;
}

/** The characters people group digits with; anything else besides digits and one leading `+` is refused. */
const SEPARATORS = /[\s().\-\u00a0]/g;

/** The E.164 form of `raw`, or undefined when it is no valid number (in `country`, without a `+`). */
export function parsePhone(raw: string, country: CountryCode = PHONE_COUNTRY): string | undefined {
  const compact = raw.replace(SEPARATORS, "");
  // Letters, extensions or a second `+` are no phone number, whatever the library would make of them.
  if (!/^\+?\d{1,17}$/.test(compact)) return undefined;
  const number = parsePhoneNumberFromString(compact, { defaultCountry: country });
  return number?.isValid() ? number.number : undefined;
}

/**
 * The E.164 form of `raw`: international (`+62 812…`) or local in `country` (`0812…`); spaces, dashes, dots and
 * brackets dropped. A number that is impossible in its country (too short, too long, a prefix no line has) is a
 * 400: filing it would file someone under a number nobody can be reached at.
 */
export function normalisePhone(raw: string, country: CountryCode = PHONE_COUNTRY): string {
  const e164 = parsePhone(raw, country);
  if (e164 === undefined) {
    throw badRequest("RC_INVALID_PHONE", `not a valid phone number: write it as +6281234567890, or locally as 081234567890 (${country})`);
  }
  return e164;
}

/** `+62•••••••7890`: enough for a point to tell two collectors apart, not enough to call them. */
export function maskPhone(phone: string): string {
  const e164 = normalisePhone(phone);
  // The country's own calling code (+1, +62, +971), not a fixed three characters.
  const country = `+${parsePhoneNumberFromString(e164)!.countryCallingCode}`;
  return `${country}${"•".repeat(e164.length - country.length - 4)}${e164.slice(-4)}`;
}
