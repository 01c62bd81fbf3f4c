import { getCountries } from "libphonenumber-js";

/** A country's name in `locale` ("Philippines", "Filipina"); its code where the browser has no name for it. */
export const countryName = (code: string, locale: string) => new Intl.DisplayNames([locale], { type: "region", fallback: "code" }).of(code) ?? code;

/**
 * The countries a program can run in: every one whose phone numbers libphonenumber-js reads (the API checks
 * phoneCountry with its isSupportedCountry), named and sorted in `locale`, for the operator to pick by name.
 */
export function phoneCountries(locale: string): { code: string; name: string }[] {
  const collator = new Intl.Collator(locale);
  return getCountries()
    .map((code) => ({ code, name: countryName(code, locale) }))
    .sort((a, b) => collator.compare(a.name, b.name));
}
