import { badRequest } from "./errors.js";

/**
 * The opaque cursor of the list routes. Lists are ordered by id, newest first; a cursor names the last id of
 * the page it ends, and the next page holds the ids below it. Encoded so clients keep it as a token instead of
 * doing arithmetic on it; a cursor that does not decode is a 400 RC_BAD_CURSOR.
 */
const PREFIX = "c1:";
const MAX_ID = (1n << 63n) - 1n;

export function encodeCursor(id: bigint): string {
  return Buffer.from(`${PREFIX}${id}`).toString("base64url");
}

export function decodeCursor(cursor: string): bigint {
  const text = /^[A-Za-z0-9_-]{1,64}$/.test(cursor) ? Buffer.from(cursor, "base64url").toString("utf8") : "";
  const match = /^c1:([1-9][0-9]{0,18})$/.exec(text);
  const id = match ? BigInt(match[1]!) : 0n;
  if (id < 1n || id > MAX_ID) throw badRequest("RC_BAD_CURSOR", "cursor is not one this API gave: start again without it");
  return id;
}

/** The id bound of a page asked with an optional cursor: ids strictly below it. */
export function cursorBound(cursor: string | undefined): bigint {
  return cursor === undefined ? MAX_ID : decodeCursor(cursor);
}

/**
 * A page from `limit + 1` rows fetched newest first: the first `limit`, and the cursor after the last of them,
 * null when there was nothing more.
 */
export function pageOf<T extends { id: bigint }>(rows: T[], limit: number): { items: T[]; next: string | null } {
  const items = rows.slice(0, limit);
  return { items, next: rows.length > limit ? encodeCursor(items.at(-1)!.id) : null };
}
