import { createHash } from "node:crypto";
import { conflict } from "../core/errors.js";
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
