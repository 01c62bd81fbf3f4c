/**
 * A collection point's day (its screen's list): the day's bounds in a time zone, its drop-offs a page at a time
 * (newest first by id, keyset pages `below` an id), and its totals by material, summed here rather than from a page.
 */
import { badRequest } from "../core/errors.js";
import { COLUMNS, type CreditEvent, parseRow } from "./events.js";
import type { Queryable } from "./sql.js";

export interface Day {
  /** The local date, e.g. "2026-12-03". */
  date: string;
  timeZone: string;
  from: Date;
  until: Date;
}

/**
 * Today in `timeZone`: from its local midnight to the next (PostgreSQL knows each zone's offsets and daylight
 * saving, so a 23- or 25-hour day is counted as it is). A name PostgreSQL does not know is a 400, not a 500.
 */
export async function today(db: Queryable, timeZone: string): Promise<Day> {
  try {
    const [row] = await db<{ date: string; from: Date; until: Date }[]>`
      select to_char(local, 'YYYY-MM-DD') as date,
        date_trunc('day', local) at time zone ${timeZone} as "from",
        (date_trunc('day', local) + interval '1 day') at time zone ${timeZone} as "until"
      from (select now() at time zone ${timeZone} as local) as clock`;
    return { ...row!, timeZone };
  } catch (error) {
    // invalid_parameter_value: "time zone … not recognized" (a zone the phone's Intl knows and this server's tzdata not).
    if ((error as { code?: string }).code === "22023") {
      throw badRequest("RC_BAD_TIME_ZONE", `querystring/timeZone: this server does not know the time zone "${timeZone}"`);
    }
    throw error;
  }
}

interface DayScope {
  programId: bigint;
  issuerId: bigint;
  from: Date;
  until: Date;
}

export interface DayDropOff extends CreditEvent {
  /** The collector's display name, where the point gave one (a wallet's or a phone collector's). */
  collectorName: string | null;
}

/** A page of the point's drop-offs of the day, newest first, each with its collector's name. */
export async function dayDropOffs(db: Queryable, q: DayScope & { below: bigint; limit: number }): Promise<DayDropOff[]> {
  const rows = await db`
    select day.*, coalesce(c.display_name, p.display_name) as "collectorName"
    from (
      select ${db.unsafe(COLUMNS)} from events
      where program_id = ${String(q.programId)} and issuer_id = ${String(q.issuerId)} and kind = 'collection'
        and created_at >= ${q.from} and created_at < ${q.until} and id < ${String(q.below)}
      order by id desc limit ${q.limit}
    ) as day
    left join collectors c on c.id = day."collectorId"
    left join phone_collectors p on day.beneficiary like 'phone:%' and p.phone_key = substr(day.beneficiary, 7)
    order by day.id desc`;
  return rows.map((row) => ({ ...parseRow(row), collectorName: row.collectorName as string | null }));
}

export interface MaterialTotal {
  material: string;
  count: number;
  grams: number;
  /** Token base units. */
  credit: bigint;
}

/**
 * The day's drop-offs by material, the largest weight first. Rejected ones (refused in review) are left out: they
 * earn nothing, and the point sees them in its list.
 */
export async function dayTotals(db: Queryable, q: DayScope): Promise<MaterialTotal[]> {
  const rows = await db<{ material: string; count: number; grams: string; credit: string }[]>`
    select material, count(*)::int as count, sum(grams)::text as grams, sum(credit)::text as credit
    from events
    where program_id = ${String(q.programId)} and issuer_id = ${String(q.issuerId)} and kind = 'collection'
      and created_at >= ${q.from} and created_at < ${q.until} and status <> 'rejected'
    group by material
    order by sum(grams) desc, material`;
  return rows.map((row) => ({ material: row.material, count: row.count, grams: Number(row.grams), credit: BigInt(row.credit) }));
}
