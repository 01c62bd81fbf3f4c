import { badRequest } from "./errors.js";

/**
 * A region's IANA name ("Asia/Jakarta", "Etc/GMT-7", "UTC"): letters first, no bare offsets. "+07:00" and POSIX
 * strings like "UTC+7" are left out on purpose: PostgreSQL reads a POSIX offset with the opposite sign to ISO 8601,
 * so the same text would name two different days.
 */
const REGION = /^[A-Za-z][A-Za-z_]*(\/[A-Za-z0-9_+-]+){0,2}$/;

/**
 * The time zone a day is counted in, as the phone's `Intl` names it, in its canonical spelling; undefined stays
 * UTC. A name neither spelling nor `Intl` knows is a 400 RC_BAD_TIME_ZONE.
 */
export function checkedTimeZone(name: string | undefined): string {
  if (name === undefined) return "UTC";
  const refused = () => badRequest("RC_BAD_TIME_ZONE", `querystring/timeZone must be an IANA time zone like "Asia/Jakarta", not "${name.slice(0, 64)}"`);
  if (name.length > 64 || !REGION.test(name)) throw refused();
  try {
    return new Intl.DateTimeFormat("en", { timeZone: name }).resolvedOptions().timeZone;
  } catch {
    throw refused();
  }
}
