import { conflict, notFound } from "../core/errors.js";
import { type CreditEvent, findEvent, reviewHeldEvent as recordReview } from "../db/events.js";
import type { Member } from "../db/members.js";
import { auditEventDecision } from "./audit-event.js";
import type { Sql } from "../db/sql.js";
import type { Minter } from "./accept-event.js";

/**
 * An admin decides a held event: approved, it becomes pending and is minted in the next batch; rejected, never.
 * Audited (`event.approve`, `event.reject`) in the transaction of the decision.
 */
export async function reviewHeldEvent(
  deps: { sql: Sql; minter: Minter },
  reviewer: Member,
  decision: { eventId: bigint; approve: boolean; reason: string },
): Promise<CreditEvent> {
  const reviewed = await deps.sql.begin(async (tx) => {
    const changed = await recordReview(tx, {
      id: decision.eventId,
      approve: decision.approve,
      note: decision.reason,
      reviewerId: reviewer.id,
    });
    if (changed) await auditEventDecision(tx, reviewer, decision.approve ? "event.approve" : "event.reject", "held", changed);
    return changed;
  });
  if (!reviewed) {
    const event = await findEvent(deps.sql, decision.eventId);
    if (!event) throw notFound("RC_EVENT_NOT_FOUND", `no event ${decision.eventId}`);
    throw conflict("RC_EVENT_NOT_HELD", `event ${decision.eventId} is ${event.status}, not held`);
  }
  if (reviewed.status === "pending") deps.minter.notify();
  return reviewed;
}
