import { badRequest, forbidden, notFound } from "../core/errors.js";
import { MAX_CREDIT } from "../core/earning.js";
import type { CreditEvent, NewEvent } from "../db/events.js";
import { requestFingerprint, type StoredResponse } from "../db/idempotency.js";
import type { Member } from "../db/members.js";
import type { Program, ProgramKind } from "../db/programs.js";
import type { Sql } from "../db/sql.js";
import type { Lookups } from "./lookups.js";
import { aloneRecorder, type EventRecorder } from "./record-events.js";

/** Told when events became mintable (`pending`); a no-op where no mint batcher runs. */
export interface Minter {
  notify(): void;
}

/** What accepting an event needs. */
export interface AcceptDeps {
  sql: Sql;
  lookups: Lookups;
  minter: Minter;
  metrics?: { eventsAccepted: { inc(labels: { kind: string; status: string }): void } };
  /** The time earning rules (campaigns) are evaluated at; now by default. */
  clock?: () => Date;
  /** Writes the event: the API's shares a transaction among requests that arrive together; alone by default. */
  recorder?: EventRecorder;
}

/** An event's request as the idempotency guard sees it: its key, route and body, and the answer it stores. */
export interface EventRequest<A> {
  route: string;
  idempotencyKey: string;
  body: unknown;
  /** The answer stored with the key and replayed to a retry: the caller's presentation of the event. */
  present(event: CreditEvent): A;
}

/** The program an issuer records for: it must exist, be of `kind`, and have granted the issuer the right. */
export async function issuingProgram(lookups: Lookups, member: Member, programId: number, kind: ProgramKind) {
  const program = await lookups.program(BigInt(programId));
  if (!program) throw notFound("RC_PROGRAM_NOT_FOUND", `no program ${programId}`);
  if (program.kind !== kind) throw badRequest("RC_PROGRAM_KIND", `program ${programId} is a ${program.kind} program`);
  if ((await lookups.role(program.id, member.id)) !== "issuer") {
    throw forbidden("RC_NOT_PROGRAM_ISSUER", `this member may not issue for program ${programId}`);
  }
  return program;
}

/**
 * Records an event once per Idempotency-Key: the same key and body replay the first answer (also while
 * it is being written by a concurrent request), another body gets 409. `bonus` is held back on the event
 * (in the same transaction) until a processor confirms the lot it goes into.
 */
export async function acceptEvent<A extends { status: CreditEvent["status"] }>(
  deps: AcceptDeps,
  request: EventRequest<A>,
  member: Member,
  program: Program,
  event: NewEvent,
  bonus = 0n,
) {
  if (event.credit + bonus > MAX_CREDIT) {
    throw badRequest("RC_CREDIT_TOO_LARGE", `a credit of more than 2^192 base units could overflow the token's supply`);
  }
  const recorder = deps.recorder ?? aloneRecorder(deps.sql);
  const result = (await recorder.record({
    memberId: member.id,
    key: request.idempotencyKey,
    fingerprint: requestFingerprint(request.route, request.body),
    caps: program.caps,
    event,
    bonus,
    present: request.present,
  })) as StoredResponse<A> & { replayed: boolean };
  if (!result.replayed) {
    deps.metrics?.eventsAccepted.inc({ kind: event.kind, status: result.body.status });
    if (result.body.status === "pending") deps.minter.notify();
  }
  return result;
}
