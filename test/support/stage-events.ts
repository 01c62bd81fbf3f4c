import type { Sql } from "../../services/db/sql.js";

/**
 * Writes pending drop-offs straight into the outbox, in one statement (so a running batcher claims them
 * together), as rows written before the API refused such credits, or by a bug, would be: the engine's own
 * defence is what the tests that use this check. Returns the ids in order.
 */
export async function stagePendingEvents(
  sql: Sql,
  events: { programId: number; issuerId: number; beneficiary: string; credits: bigint[] },
): Promise<bigint[]> {
  const rows = await sql<{ id: bigint }[]>`
    insert into events (kind, program_id, issuer_id, beneficiary, material, grams, credit, status)
    select 'collection', ${events.programId}, ${events.issuerId}, ${events.beneficiary}, 'PET', 1000, credit::numeric, 'pending'
    from unnest(${sql.array(events.credits.map(String))}::text[]) with ordinality as c (credit, n)
    order by n
    returning id`;
  return rows.map((row) => row.id).sort((a, b) => (a < b ? -1 : 1));
}
