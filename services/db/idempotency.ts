import { createHash } from "node:crypto";
import { conflict } from "../core/errors.js";
import type { Sql, TransactionSql } from "./sql.js";

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

/**
 * Runs `handle` at most once per (member, key). The key's row is inserted first in the same transaction,
 * so a concurrent request with the same key waits on it and then replays the stored answer; a request
 * whose body differs gets 409. If `handle` throws, nothing is stored and the key stays free.
 */
export async function once<T>(
  sql: Sql,
  memberId: bigint,
  key: string,
  fingerprint: string,
  handle: (tx: TransactionSql) => Promise<StoredResponse<T>>,
): Promise<StoredResponse<T> & { replayed: boolean }> {
  return sql.begin(async (tx) => {
    const inserted = await tx`
      insert into idempotency_keys (member_id, key, request_hash)
      values (${String(memberId)}, ${key}, ${fingerprint})
      on conflict do nothing
      returning key`;
    if (inserted.length === 0) {
      const [stored] = await tx<{ requestHash: string; statusCode: number; response: T }[]>`
        select request_hash as "requestHash", status_code as "statusCode", response
        from idempotency_keys where member_id = ${String(memberId)} and key = ${key}`;
      if (!stored || stored.requestHash !== fingerprint) {
        throw conflict("RC_IDEMPOTENCY_KEY_REUSED", "this Idempotency-Key was used with another request");
      }
      return { statusCode: stored.statusCode, body: stored.response, replayed: true };
    }
    const result = await handle(tx);
    await tx`
      update idempotency_keys set status_code = ${result.statusCode}, response = ${tx.json(result.body as never)}
      where member_id = ${String(memberId)} and key = ${key}`;
    return { ...result, replayed: false };
  }) as Promise<StoredResponse<T> & { replayed: boolean }>;
}
