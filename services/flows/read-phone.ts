import type { CountryCode } from "libphonenumber-js";
import { notFound } from "../core/errors.js";
import { normalisePhone, PHONE_COUNTRY } from "../core/phone-number.js";
import type { Lookups } from "./lookups.js";

/**
 * A phone number as a route was given it, in E.164: a local one (0812…, 0917…) is read in the country of the
 * program the request names, or in Indonesia's, where every program ran before programs carried a country, when it
 * names none. A number given internationally (+63…) reads the same whatever the program.
 */
export async function readPhone(lookups: Lookups, phone: string, programId: number | undefined): Promise<string> {
  if (programId === undefined) return normalisePhone(phone, PHONE_COUNTRY);
  const program = await lookups.program(BigInt(programId));
  if (!program) throw notFound("RC_PROGRAM_NOT_FOUND", `no program ${programId}`);
  return normalisePhone(phone, program.phoneCountry as CountryCode);
}
