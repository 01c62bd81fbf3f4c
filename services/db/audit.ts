import type { Queryable } from "./sql.js";

/** A JSON value as the audit keeps it: before and after a change (bigints as strings). */
export type AuditState = Record<string, unknown> | null;

export interface AuditEntry {
  id: bigint;
  actorId: bigint;
  action: string;
  subject: string;
  before: AuditState;
  after: AuditState;
  at: Date;
}

export interface AuditQuery {
  /** Ids strictly below this one (keyset pagination, newest first). */
  below: bigint;
  limit: number;
  actorId?: bigint;
  action?: string;
  subject?: string;
  since?: Date;
  until?: Date;
}

/** JSON-safe: bigints become decimal strings, dates ISO strings. */
function plain(state: AuditState): AuditState {
  if (state === null) return null;
  return JSON.parse(JSON.stringify(state, (_key, value) => (typeof value === "bigint" ? String(value) : value))) as AuditState;
}

/**
 * Records one admin or operator action. Call it with the transaction that makes the change, so the log holds
 * exactly the changes that happened: the table refuses updates and deletes (migration 017).
 */
export async function recordAudit(
  db: Queryable,
  entry: { actorId: bigint; action: string; subject: string; before?: AuditState; after?: AuditState },
): Promise<void> {
  await db`
    insert into audit_log (actor_id, action, subject, before, after)
    values (${String(entry.actorId)}, ${entry.action}, ${entry.subject},
            ${entry.before ? db.json(plain(entry.before) as never) : null}, ${entry.after ? db.json(plain(entry.after) as never) : null})`;
}

const COLUMNS = `id, actor_id as "actorId", action, subject, before, after, at`;

/** One page of the log, newest first, filtered; `limit` rows at most. */
export async function listAudit(db: Queryable, query: AuditQuery): Promise<AuditEntry[]> {
  return db<AuditEntry[]>`
    select ${db.unsafe(COLUMNS)} from audit_log
    where id < ${String(query.below)}
      ${query.actorId === undefined ? db`` : db`and actor_id = ${String(query.actorId)}`}
      ${query.action === undefined ? db`` : db`and action = ${query.action}`}
      ${query.subject === undefined ? db`` : db`and subject = ${query.subject}`}
      ${query.since === undefined ? db`` : db`and at >= ${query.since}`}
      ${query.until === undefined ? db`` : db`and at < ${query.until}`}
    order by id desc limit ${query.limit}`;
}
