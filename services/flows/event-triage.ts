import { conflict, notFound } from "../core/errors.js";
import type { Chain } from "../chain/network.js";
import { listTroubledEvents, rejectEvent as recordRejection, retryFailedEvent as recordRetry, type TroubledState } from "../db/event-triage.js";
import { type CreditEvent, findEvent } from "../db/events.js";
import type { Member } from "../db/members.js";
import { findProgram } from "../db/programs.js";
import type { Sql } from "../db/sql.js";
import type { Minter } from "./accept-event.js";
import { auditEventDecision } from "./audit-event.js";

/** What an admin's triage of events needs: the database, the chain (is it credited?), the batcher's ear. */
export interface TriageDeps {
  sql: Sql;
  chain: Chain;
  minter: Minter;
  /** The default age (minutes, by last change) past which a pending or submitted event is stuck. */
  stuckMinutes: number;
}

/**
 * One page of failed or stuck events, oldest first, and the cursor of the next page (null on the last):
 * what an admin reviews when minting does not go through.
 */
export async function listEventsInTrouble(
  deps: TriageDeps,
  query: { state: TroubledState; programId?: bigint; after?: bigint; limit: number; olderThanMinutes?: number },
): Promise<{ events: CreditEvent[]; next: bigint | null }> {
  const events = await listTroubledEvents(deps.sql, {
    state: query.state,
    stuckSeconds: (query.olderThanMinutes ?? deps.stuckMinutes) * 60,
    ...(query.programId === undefined ? {} : { programId: query.programId }),
    ...(query.after === undefined ? {} : { after: query.after }),
    limit: query.limit + 1,
  });
  const page = events.slice(0, query.limit);
  return { events: page, next: events.length > query.limit ? page.at(-1)!.id : null };
}

/** A failed event goes back to the outbox (the cause fixed, say a token's cap raised); the batcher checks it again. */
export async function retryFailedEvent(
  deps: TriageDeps,
  reviewer: Member,
  decision: { eventId: bigint; reason: string },
): Promise<CreditEvent> {
  const { eventId } = decision;
  const retried = await deps.sql.begin(async (tx) => {
    const changed = await recordRetry(tx, { id: eventId, note: decision.reason, reviewerId: reviewer.id });
    if (changed) await auditEventDecision(tx, reviewer, "event.retry", "failed", changed);
    return changed;
  });
  if (!retried) {
    const event = await findEvent(deps.sql, eventId);
    if (!event) throw notFound("RC_EVENT_NOT_FOUND", `no event ${eventId}`);
    throw conflict("RC_EVENT_NOT_FAILED", `event ${eventId} is ${event.status}, not failed: only a failed event is retried`);
  }
  deps.minter.notify();
  return retried;
}

/**
 * Refuses an event for good, with the reason, and tells its issuer (`credit.rejected`): a held one, a failed
 * one, or one pending for longer than the stuck age. A submitted or confirmed event may be on chain and is
 * refused with a 409, and so is any event the token has credited already: a credit is never both on chain
 * and rejected here (the batcher confirms it from its log instead).
 */
export async function rejectEvent(
  deps: TriageDeps,
  reviewer: Member,
  decision: { eventId: bigint; reason: string },
): Promise<CreditEvent> {
  const event = await findEvent(deps.sql, decision.eventId);
  if (!event) throw notFound("RC_EVENT_NOT_FOUND", `no event ${decision.eventId}`);
  if (event.status === "submitted" || event.status === "included" || event.status === "confirmed") {
    throw conflict("RC_EVENT_ON_CHAIN", `event ${event.id} is ${event.status}: it may be credited on chain, it cannot be rejected`);
  }
  if (event.status === "failed" || event.status === "pending") {
    // Both were handed to the chain at some point (a pending one may be back from a batch that mined late).
    const program = await findProgram(deps.sql, event.programId);
    if (program && (await deps.chain.token(program.token).isCredited(event.id))) {
      throw conflict("RC_EVENT_ON_CHAIN", `event ${event.id} is credited on chain; it is being confirmed, it cannot be rejected`);
    }
  }
  const rejected = await deps.sql.begin(async (tx) => {
    const changed = await recordRejection(tx, {
      id: event.id,
      note: decision.reason,
      reviewerId: reviewer.id,
      stuckSeconds: deps.stuckMinutes * 60,
    });
    if (changed) await auditEventDecision(tx, reviewer, "event.reject", event.status, changed);
    return changed;
  });
  if (rejected) return rejected;
  const now = (await findEvent(deps.sql, event.id))!;
  if (now.status === "pending") {
    throw conflict("RC_EVENT_NOT_STUCK", `event ${event.id} is pending for less than ${deps.stuckMinutes} minutes: it may still be minted`);
  }
  if (now.status === "submitted" || now.status === "included" || now.status === "confirmed") {
    throw conflict("RC_EVENT_ON_CHAIN", `event ${event.id} is ${now.status}: it may be credited on chain, it cannot be rejected`);
  }
  throw conflict("RC_EVENT_NOT_REJECTABLE", `event ${event.id} is ${now.status}: only a held, failed or stuck pending event is rejected`);
}
