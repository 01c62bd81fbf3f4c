import { RecircleError } from "../core/errors.js";
import { findEvent } from "../db/events.js";
import type { Member } from "../db/members.js";
import { rejectEvent, type TriageDeps } from "./event-triage.js";
import { reviewHeldEvent } from "./review-held-event.js";

export type BulkAction = "approve" | "reject";
export type BulkOutcome = "approved" | "rejected" | "not_found" | "not_held";

/** What became of one id of a bulk decision; `code` and `message` say why when it was not decided. */
export interface BulkReviewResult {
  eventId: bigint;
  outcome: BulkOutcome;
  code?: string;
  message?: string;
}

/**
 * An admin decides many held events at once, with one reason: each id goes through the single-event flow on
 * its own (its own transaction and audit row, the issuer told of a rejection as by the single route), so an
 * unknown or no-longer-held id is reported and its neighbours are decided all the same. Ids are taken in the
 * order given. Only a fault of the service (not of an id) stops the batch: the ids before it stay decided.
 */
export async function reviewHeldEvents(
  deps: TriageDeps,
  reviewer: Member,
  decision: { action: BulkAction; eventIds: bigint[]; reason: string },
): Promise<BulkReviewResult[]> {
  const results: BulkReviewResult[] = [];
  for (const eventId of decision.eventIds) {
    results.push(await decideOne(deps, reviewer, decision.action, eventId, decision.reason));
  }
  return results;
}

async function decideOne(deps: TriageDeps, reviewer: Member, action: BulkAction, eventId: bigint, reason: string): Promise<BulkReviewResult> {
  try {
    if (action === "approve") {
      await reviewHeldEvent(deps, reviewer, { eventId, approve: true, reason });
      return { eventId, outcome: "approved" };
    }
    // The single reject also refuses failed and stuck events; a bulk decision is on the held queue only.
    const event = await findEvent(deps.sql, eventId);
    if (!event) return { eventId, outcome: "not_found", code: "RC_EVENT_NOT_FOUND", message: `no event ${eventId}` };
    if (event.status !== "held") {
      return { eventId, outcome: "not_held", code: "RC_EVENT_NOT_HELD", message: `event ${eventId} is ${event.status}, not held` };
    }
    await rejectEvent(deps, reviewer, { eventId, reason });
    return { eventId, outcome: "rejected" };
  } catch (error) {
    // A 404 or 409 of the single flow is this id's answer (another admin may have decided it meanwhile).
    if (error instanceof RecircleError && (error.statusCode === 404 || error.statusCode === 409)) {
      return { eventId, outcome: error.statusCode === 404 ? "not_found" : "not_held", code: error.code, message: error.message };
    }
    throw error;
  }
}
