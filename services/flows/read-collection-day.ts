import { cursorBound, pageOf } from "../core/cursor.js";
import { checkedTimeZone } from "../core/time-zone.js";
import { type Day, type DayDropOff, dayDropOffs, dayTotals, type MaterialTotal, today } from "../db/collection-day.js";
import type { Queryable } from "../db/sql.js";

export interface CollectionDay {
  day: Day;
  totals: MaterialTotal[];
  items: DayDropOff[];
  next: string | null;
}

/**
 * A point's day for one program: today's bounds in the point's time zone (UTC without one), a page of its
 * drop-offs, and the whole day's totals by material. The bounds are read once, so the page and the totals count
 * the same day even across midnight.
 */
export async function readCollectionDay(
  db: Queryable,
  q: { programId: bigint; issuerId: bigint; timeZone: string | undefined; cursor: string | undefined; limit: number },
): Promise<CollectionDay> {
  const below = cursorBound(q.cursor);
  const day = await today(db, checkedTimeZone(q.timeZone));
  const scope = { programId: q.programId, issuerId: q.issuerId, from: day.from, until: day.until };
  const [rows, totals] = await Promise.all([dayDropOffs(db, { ...scope, below, limit: q.limit + 1 }), dayTotals(db, scope)]);
  return { day, totals, ...pageOf(rows, q.limit) };
}
