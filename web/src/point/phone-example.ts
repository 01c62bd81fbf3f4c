import { type CountryCode, getExampleNumber, isSupportedCountry } from "libphonenumber-js";
import examples from "libphonenumber-js/mobile/examples";
import { PHONE_COUNTRY } from "../../../services/core/phone-number.js";

/**
 * A mobile number of `country` (the program's), as people there write it: locally ("0905 123 4567" in the
 * Philippines) and internationally ("+63 905 123 4567"). The phone field's placeholder and its hint show it, so a
 * counter is never shown another country's number. A country we have no example for gets Indonesia's.
 */
export function phoneExample(country: string): { local: string; international: string } {
  const code: CountryCode = isSupportedCountry(country) ? country : PHONE_COUNTRY;
  const example = getExampleNumber(code, examples) ?? getExampleNumber(PHONE_COUNTRY, examples)!;
  return { local: example.formatNational(), international: example.formatInternational() };
}
