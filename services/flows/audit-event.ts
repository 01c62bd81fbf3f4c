import { recordAudit } from "../db/audit.js";
import type { CreditEvent } from "../db/events.js";
import type { Member } from "../db/members.js";
import type { Queryable } from "../db/sql.js";

/** The audit entry of an admin's decision on one event (approve, reject, retry), in the decision's transaction. */
export function auditEventDecision(db: Queryable, admin: Member, action: string, before: string, after: CreditEvent) {
  return recordAudit(db, {
    actorId: admin.id,
    action,
    subject: `event:${after.id}`,
    before: { status: before },
    after: { status: after.status, reason: after.reviewNote },
  });
}
