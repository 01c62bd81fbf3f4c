import type { TermsJson } from "../core/terms-change.js";
import type { Queryable } from "./sql.js";

/** One change of a program's terms (migration 020): who made it, the terms before and after, when. */
export interface TermsChange {
  id: bigint;
  programId: bigint;
  actorId: bigint;
  before: TermsJson;
  after: TermsJson;
  at: Date;
}

const COLUMNS = `id, program_id as "programId", actor_id as "actorId", before, after, at`;

/** Records a change; call it in the transaction that changes the terms. */
export async function recordTermsChange(
  db: Queryable,
  change: { programId: bigint; actorId: bigint; before: TermsJson; after: TermsJson },
): Promise<TermsChange> {
  const [row] = await db<TermsChange[]>`
    insert into program_terms_history (program_id, actor_id, before, after)
    values (${String(change.programId)}, ${String(change.actorId)}, ${db.json(change.before as never)}, ${db.json(change.after as never)})
    returning ${db.unsafe(COLUMNS)}`;
  return row!;
}

/** One page of a program's changes, newest first: ids strictly below `below`, `limit` rows at most. */
export async function listTermsChanges(db: Queryable, programId: bigint, query: { below: bigint; limit: number }): Promise<TermsChange[]> {
  return db<TermsChange[]>`
    select ${db.unsafe(COLUMNS)} from program_terms_history
    where program_id = ${String(programId)} and id < ${String(query.below)}
    order by id desc limit ${query.limit}`;
}
