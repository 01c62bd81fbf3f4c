import { badRequest } from "./errors.js";

/** The earliest and latest instants a time filter may name: dates outside them are typos, not queries. */
const EARLIEST = Date.UTC(1970, 0, 1);
const LATEST = Date.UTC(9999, 11, 31, 23, 59, 59);

/** A filter's date-time, checked: an unparseable or out-of-range one is a 400 RC_INVALID_TIME naming the field. */
export function parseQueryTime(field: string, value: string | undefined): Date | undefined {
  if (value === undefined) return undefined;
  const time = Date.parse(value);
  if (Number.isNaN(time) || time < EARLIEST || time > LATEST) {
    throw badRequest("RC_INVALID_TIME", `querystring/${field} must be an ISO 8601 date-time between 1970 and 9999`);
  }
  return new Date(time);
}
