/**
 * Bounds on request values that the schema's types admit but PostgreSQL or the chain cannot store: checked when a
 * request is validated, so they answer 400 instead of failing a query. Pure: no I/O.
 */

/** The earliest and latest instants a request may carry: PostgreSQL has no year 0, JavaScript dates end in 275760. */
export const EARLIEST_INSTANT = Date.UTC(1970, 0, 1);
export const LATEST_INSTANT = Date.UTC(9999, 11, 31, 23, 59, 59, 999);

const DATE_TIME = /^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(\.\d{1,9})?([Zz]|[+-]\d{2}:\d{2})$/;

/**
 * Whether `raw` is an RFC 3339 date-time that names a real instant (no 31 February, no leap second that
 * `Date` cannot hold) between 1970 and the end of year 9999.
 */
export function saneDateTime(raw: string): boolean {
  const match = DATE_TIME.exec(raw);
  if (!match) return false;
  const [year, month, day] = raw.slice(0, 10).split("-").map(Number) as [number, number, number];
  const [hour, minute, second] = raw.slice(11, 19).split(":").map(Number) as [number, number, number];
  if (month < 1 || month > 12 || day < 1 || day > new Date(Date.UTC(year, month, 0)).getUTCDate()) return false;
  if (hour > 23 || minute > 59 || second > 59) return false;
  const offset = match[2]!;
  if (offset.length === 6 && (Number(offset.slice(1, 3)) > 23 || Number(offset.slice(4, 6)) > 59)) return false;
  const at = Date.parse(raw.replace(" ", "T"));
  return Number.isFinite(at) && at >= EARLIEST_INSTANT && at <= LATEST_INSTANT;
}

/** The path (`name`, `rules/events/buy`) of the first string or key in `value` that holds a NUL character. */
export function nulPath(value: unknown, path = ""): string | undefined {
  if (typeof value === "string") return value.includes("\u0000") ? path : undefined;
  if (value === null || typeof value !== "object") return undefined;
  for (const [key, inner] of Object.entries(value)) {
    const at = path ? `${path}/${key}` : key;
    if (key.includes("\u0000")) return at;
    const found = nulPath(inner, at);
    if (found !== undefined) return found;
  }
  return undefined;
}
