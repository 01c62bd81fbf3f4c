import type { Queryable } from "./sql.js";

/** `bonus`: a collection's held bonus, paid when its lot is confirmed (migration 007). */
export type EventKind = "collection" | "loyalty" | "bonus";
/**
 * `escrowed`: a phone-only collector's credit, kept off chain until a wallet claims it (migration 008).
 * `failed`: its token refuses it (the mint batcher's check with the node), with the reason (migration 011).
 */
export type EventStatus = "pending" | "submitted" | "included" | "confirmed" | "held" | "rejected" | "escrowed" | "failed";

export interface CreditEvent {
  id: bigint;
  kind: EventKind;
  programId: bigint;
  issuerId: bigint;
  beneficiary: string;
  collectorId: bigint | null;
  material: string | null;
  grams: bigint | null;
  loyaltyType: string | null;
  loyaltyValue: bigint | null;
  campaign: string | null;
  evidenceHash: string | null;
  credit: bigint;
  status: EventStatus;
  reasons: string[];
  txHash: string | null;
  blockNumber: bigint | null;
  reviewNote: string | null;
  /** Set while `failed`: the decoded revert (RC_ARITHMETIC_OVERFLOW, ...) and its human reading. */
  failureCode: string | null;
  failureReason: string | null;
  failedAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
}

export type NewEvent = Pick<
  CreditEvent,
  | "kind"
  | "programId"
  | "issuerId"
  | "beneficiary"
  | "collectorId"
  | "material"
  | "grams"
  | "loyaltyType"
  | "loyaltyValue"
  | "campaign"
  | "evidenceHash"
  | "credit"
>;

type Db = Queryable;

export const COLUMNS = `id, kind, program_id as "programId", issuer_id as "issuerId", beneficiary, collector_id as "collectorId",
  material, grams, loyalty_type as "loyaltyType", loyalty_value::text as "loyaltyValue", campaign,
  evidence_hash as "evidenceHash", credit::text as credit, status, reasons, tx_hash as "txHash",
  block_number as "blockNumber", review_note as "reviewNote", failure_code as "failureCode",
  failure_reason as "failureReason", failed_at as "failedAt", created_at as "createdAt", updated_at as "updatedAt"`;

export function parseRow(row: Record<string, unknown>): CreditEvent {
  return {
    ...(row as unknown as CreditEvent),
    credit: BigInt(row.credit as string),
    loyaltyValue: row.loyaltyValue === null ? null : BigInt(row.loyaltyValue as string),
  };
}

/** What the caps are checked against: today's credits of the beneficiary and the issuer, evidence reuse. */
export interface EventContext {
  beneficiaryToday: bigint;
  issuerToday: bigint;
  evidenceReused: boolean;
}

/**
 * Takes the beneficiary's lock for this transaction and reads what the caps need, in one round trip (the
 * two statements are pipelined; the server runs the read after the lock is held). Serialized per
 * beneficiary so two drop-offs of one collector cannot both slip under a daily cap. The issuer's total is
 * read without a lock: it may overshoot by the requests in flight, which keeps a busy point's requests
 * from queueing on each other.
 */
export async function eventContext(db: Queryable, event: NewEvent): Promise<EventContext> {
  const lock = db`select pg_advisory_xact_lock(hashtextextended(${`${event.programId}:${event.beneficiary}`}, 0))`.execute();
  // Two sums, each on its own index with both equalities: with `beneficiary = … or issuer_id = …` a generic
  // plan may scan every event of the program (all days) through the (program_id, …) prefix only.
  const totals = db<{ beneficiaryToday: string; issuerToday: string; evidenceReused: boolean }[]>`
    select
      coalesce((
        select sum(credit) from events
        where program_id = ${String(event.programId)} and beneficiary = ${event.beneficiary}
          and created_at >= date_trunc('day', now(), 'UTC') and status in ('pending', 'submitted', 'included', 'confirmed', 'escrowed')
      ), 0)::text as "beneficiaryToday",
      coalesce((
        select sum(credit) from events
        where program_id = ${String(event.programId)} and issuer_id = ${String(event.issuerId)}
          and created_at >= date_trunc('day', now(), 'UTC') and status in ('pending', 'submitted', 'included', 'confirmed', 'escrowed')
      ), 0)::text as "issuerToday",
      ${event.evidenceHash}::text is not null and exists (
        select 1 from events where program_id = ${String(event.programId)} and evidence_hash = ${event.evidenceHash}
      ) as "evidenceReused"`.execute();
  const [, [row]] = await Promise.all([lock, totals]);
  return {
    beneficiaryToday: BigInt(row!.beneficiaryToday),
    issuerToday: BigInt(row!.issuerToday),
    evidenceReused: row!.evidenceReused,
  };
}

/**
 * Writes an accepted event with its credit: `pending` for the mint batcher, or `held` with the reasons;
 * a phone-only collector's (beneficiary `phone:…`) waits `escrowed` for its claim instead of `pending`.
 */
export async function insertEvent(db: Queryable, event: NewEvent, reasons: readonly string[]): Promise<CreditEvent> {
  const [row] = await db`
    insert into events (kind, program_id, issuer_id, beneficiary, collector_id, material, grams, loyalty_type,
                        loyalty_value, campaign, evidence_hash, credit, status, reasons)
    values (${event.kind}, ${String(event.programId)}, ${String(event.issuerId)}, ${event.beneficiary},
            ${event.collectorId === null ? null : String(event.collectorId)}, ${event.material},
            ${event.grams === null ? null : String(event.grams)}, ${event.loyaltyType},
            ${event.loyaltyValue === null ? null : String(event.loyaltyValue)}, ${event.campaign}, ${event.evidenceHash},
            ${String(event.credit)}, ${reasons.length > 0 ? "held" : isEscrowed(event.beneficiary) ? "escrowed" : "pending"},
            ${db.array([...reasons])})
    returning ${db.unsafe(COLUMNS)}`;
  return parseRow(row!);
}

const isEscrowed = (beneficiary: string) => beneficiary.startsWith("phone:");

export async function findEvent(db: Db, id: bigint, kind?: EventKind): Promise<CreditEvent | undefined> {
  const [row] = await db`
    select ${db.unsafe(COLUMNS)} from events where id = ${String(id)} ${kind ? db`and kind = ${kind}` : db``}`;
  return row ? parseRow(row) : undefined;
}

/** A point's drop-offs for one program since a time, newest first (on the events_issuer_day index). */
export async function listIssuedCollections(
  db: Db,
  query: { programId: bigint; issuerId: bigint; since: Date; limit: number },
): Promise<CreditEvent[]> {
  const rows = await db`
    select ${db.unsafe(COLUMNS)} from events
    where program_id = ${String(query.programId)} and issuer_id = ${String(query.issuerId)}
      and created_at >= ${query.since} and kind = 'collection'
    order by created_at desc, id desc limit ${query.limit}`;
  return rows.map(parseRow);
}

/**
 * Decides a held event: approved goes to the mint outbox (or back to escrow while its phone is unclaimed),
 * rejected is final. Returns undefined if not held.
 */
export async function reviewHeldEvent(
  db: Db,
  review: { id: bigint; approve: boolean; note: string; reviewerId: bigint },
): Promise<CreditEvent | undefined> {
  // Evaluated on the row as updated: a claim that moved the event to a wallet first makes it `pending`.
  const approvedStatus = db`case when beneficiary like 'phone:%' then 'escrowed' else 'pending' end`;
  const [row] = await db`
    update events set status = ${review.approve ? approvedStatus : "rejected"}, review_note = ${review.note},
      reviewed_by = ${String(review.reviewerId)}, updated_at = now()
    where id = ${String(review.id)} and status = 'held'
    returning ${db.unsafe(COLUMNS)}`;
  return row ? parseRow(row) : undefined;
}

/** What `beneficiary` was credited (or held, or refused), newest first: a collector's or customer's history. */
export async function eventsOfBeneficiary(db: Db, beneficiary: string, limit: number): Promise<CreditEvent[]> {
  const rows = await db`
    select ${db.unsafe(COLUMNS)} from events where beneficiary = ${beneficiary} order by id desc limit ${limit}`;
  return rows.map(parseRow);
}
