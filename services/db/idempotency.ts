import { createHash } from "node:crypto";
import { conflict } from "../core/errors.js";
import type { Settled } from "../core/settled.js";
import type { ReservedSql, Sql } from "./sql.js";

export interface StoredResponse<T> {
  statusCode: number;
  body: T;
}

/** A stable fingerprint of a request: route and body, keys sorted so field order does not matter. */
export function requestFingerprint(route: string, body: unknown): string {
  return createHash("sha256").update(route).update("\n").update(canonicalJson(body)).digest("hex");
}

function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  if (value && typeof value === "object") {
    const entries = Object.entries(value).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(",")}}`;
  }
  return JSON.stringify(value) ?? "null";
}

/** The work `once` guards: `prepare` is pipelined with the key's insert, `handle` runs if the key was new. */
export interface GuardedWork<T, P> {
  prepare(db: ReservedSql): Promise<P>;
  handle(db: ReservedSql, prepared: P): Promise<StoredResponse<T>>;
}

/**
 * Runs `work` at most once per (member, key). The key's row is inserted first in the same transaction,
 * so a concurrent request with the same key waits on it and then replays the stored answer; a request
 * whose body differs gets 409. If the work throws, nothing is stored and the key stays free.
 *
 * One connection is reserved and the statements are pipelined: begin, the key's insert and `prepare`'s
 * reads go out together, then the work's writes, then the stored answer with the commit. Three round
 * trips instead of seven is most of what an accepted event costs the database.
 */
export async function once<T, P>(
  sql: Sql,
  memberId: bigint,
  key: string,
  fingerprint: string,
  work: GuardedWork<T, P>,
): Promise<StoredResponse<T> & { replayed: boolean }> {
  const db = await sql.reserve();
  let open = false;
  try {
    // postgres.js queries are lazy: execute() sends them now, in this order, before prepare adds its own.
    const begin = db`begin`.execute();
    open = true;
    const insertKey = db`
      insert into idempotency_keys (member_id, key, request_hash)
      values (${String(memberId)}, ${key}, ${fingerprint})
      on conflict do nothing
      returning key`.execute();
    const [, inserted, prepared] = await Promise.all([begin, insertKey, work.prepare(db)]);
    if (inserted.length === 0) {
      const [stored] = await db<{ requestHash: string; statusCode: number; response: T }[]>`
        select request_hash as "requestHash", status_code as "statusCode", response
        from idempotency_keys where member_id = ${String(memberId)} and key = ${key}`;
      await db`commit`;
      open = false;
      if (!stored || stored.requestHash !== fingerprint) {
        throw conflict("RC_IDEMPOTENCY_KEY_REUSED", "this Idempotency-Key was used with another request");
      }
      return { statusCode: stored.statusCode, body: stored.response, replayed: true };
    }
    const result = await work.handle(db, prepared);
    await Promise.all([
      db`update idempotency_keys set status_code = ${result.statusCode}, response = ${db.json(result.body as never)}
         where member_id = ${String(memberId)} and key = ${key}`.execute(),
      db`commit`.execute(),
    ]);
    open = false;
    return { ...result, replayed: false };
  } catch (error) {
    if (open) await db`rollback`.catch(() => {});
    throw error;
  } finally {
    db.release();
  }
}

/** A request as its Idempotency-Key guards it: whose key, the key, and the fingerprint of its route and body. */
export interface KeyedRequest {
  memberId: bigint;
  key: string;
  fingerprint: string;
}

/** One request's outcome in a group: its answer (the first, or a replay of it), or its refusal. */
export type GuardedOutcome<T> = Settled<StoredResponse<T> & { replayed: boolean }>;

/** The work `onceEach` guards: `prepare` is pipelined with the keys' insert, `handle` answers the new ones. */
export interface GroupWork<T, P> {
  prepare(db: ReservedSql): Promise<P>;
  /** `fresh`: the indexes (ascending) of the requests whose keys were new; returns their answers in that order. */
  handle(db: ReservedSql, prepared: P, fresh: number[]): Promise<StoredResponse<T>[]>;
}

const keyOf = (request: { memberId: bigint | string; key: string }) => `${request.memberId}:${request.key}`;

/**
 * `once` for a group of requests with distinct keys, in one transaction: each is answered as `once` would
 * have answered it alone (a key already stored replays its answer or is refused with 409, also one another
 * transaction was writing: its insert waits for it). The keys go in with one statement, sorted, so two groups
 * that share keys wait on each other in one direction only. Same round trips as `once`: begin, the keys'
 * insert, the stored answers and `prepare` together; the work; the answers with the commit.
 *
 * If the work throws, the transaction rolls back: nothing is stored, every key stays free, and the caller
 * may try the requests one by one.
 */
export async function onceEach<T, P>(
  sql: Sql,
  requests: readonly KeyedRequest[],
  work: GroupWork<T, P>,
): Promise<GuardedOutcome<T>[]> {
  // Two of one key would both look new after one insert: a group never holds them (the caller's fallback does).
  if (new Set(requests.map(keyOf)).size !== requests.length) throw new Error("a group holds one Idempotency-Key twice");
  const members = requests.map((request) => String(request.memberId));
  const keys = requests.map((request) => request.key);
  const db = await sql.reserve();
  let open = false;
  try {
    const begin = db`begin`.execute();
    open = true;
    const insertKeys = db<{ memberId: string; key: string }[]>`
      insert into idempotency_keys (member_id, key, request_hash)
      select member_id, key, request_hash
      from unnest(${db.array(members)}::bigint[], ${db.array(keys)}::text[], ${db.array(requests.map((r) => r.fingerprint))}::text[])
        as r(member_id, key, request_hash)
      order by member_id, key
      on conflict do nothing
      returning member_id::text as "memberId", key`.execute();
    // Read after the insert: a key another transaction was writing is committed (or free again) by then.
    const storedKeys = db<{ memberId: string; key: string; requestHash: string; statusCode: number; response: T }[]>`
      select member_id::text as "memberId", key, request_hash as "requestHash", status_code as "statusCode", response
      from idempotency_keys
      where (member_id, key) in (select * from unnest(${db.array(members)}::bigint[], ${db.array(keys)}::text[]))`.execute();
    const [, inserted, stored, prepared] = await Promise.all([begin, insertKeys, storedKeys, work.prepare(db)]);
    const isNew = new Set(inserted.map(keyOf));
    const fresh = requests.flatMap((request, i) => (isNew.has(keyOf(request)) ? [i] : []));
    const answers = fresh.length > 0 ? await work.handle(db, prepared, fresh) : [];
    const rows = fresh.map((i, j) => ({ member_id: members[i], key: keys[i], status_code: answers[j]!.statusCode, response: answers[j]!.body }));
    await Promise.all([
      rows.length > 0 &&
        db`
          update idempotency_keys k set status_code = a.status_code, response = a.response
          from jsonb_to_recordset(${db.json(rows as never)}) as a(member_id bigint, key text, status_code int, response jsonb)
          where k.member_id = a.member_id and k.key = a.key`.execute(),
      db`commit`.execute(),
    ]);
    open = false;
    const answered = new Map(fresh.map((i, j) => [i, answers[j]!]));
    const storedBy = new Map(stored.map((row) => [keyOf(row), row]));
    return requests.map((request, i): GuardedOutcome<T> => {
      const answer = answered.get(i);
      if (answer) return { ok: true, value: { ...answer, replayed: false } };
      const first = storedBy.get(keyOf(request));
      if (!first || first.requestHash !== request.fingerprint) {
        return { ok: false, error: conflict("RC_IDEMPOTENCY_KEY_REUSED", "this Idempotency-Key was used with another request") };
      }
      return { ok: true, value: { statusCode: first.statusCode, body: first.response, replayed: true } };
    });
  } catch (error) {
    if (open) await db`rollback`.catch(() => {});
    throw error;
  } finally {
    db.release();
  }
}

/**
 * Deletes up to `limit` idempotency keys older than `ttlHours`, oldest first, skipping rows a request holds.
 * Returns how many went: `limit` means there may be more. After its purge a key may be used again as new.
 */
export async function purgeIdempotencyKeys(sql: Sql, ttlHours: number, limit: number): Promise<number> {
  const deleted = await sql`
    with expired as (
      select member_id, key from idempotency_keys
      where created_at < now() - make_interval(hours => ${ttlHours})
      order by created_at
      limit ${limit}
      for update skip locked
    )
    delete from idempotency_keys k using expired e
    where k.member_id = e.member_id and k.key = e.key`;
  return deleted.count;
}
