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

/** The events whose credits count toward today's caps: recorded today (UTC), neither held, refused nor failed. */
const COUNTED_TODAY = `created_at >= date_trunc('day', now(), 'UTC') and status in ('pending', 'submitted', 'included', 'confirmed', 'escrowed')`;

/** What the advisory lock that serialises the cap checks is taken on: a beneficiary in a program. */
const lockScope = (event: NewEvent) => `${event.programId}:${event.beneficiary}`;

/**
 * Takes the beneficiary's lock for this transaction and reads what the caps need, in one round trip (the
 * two statements are pipelined; the server runs the read after the lock is held). Serialized per
 * beneficiary so two drop-offs of one collector cannot both slip under a daily cap. The issuer's total is
 * read without a lock: it may overshoot by the requests in flight, which keeps a busy point's requests
 * from queueing on each other.
 */
export async function eventContext(db: Queryable, event: NewEvent): Promise<EventContext> {
  const lock = db`select pg_advisory_xact_lock(hashtextextended(${lockScope(event)}, 0))`.execute();
  // Two sums, each on its own index with both equalities: with `beneficiary = … or issuer_id = …` a generic
  // plan may scan every event of the program (all days) through the (program_id, …) prefix only.
  const totals = db<{ beneficiaryToday: string; issuerToday: string; evidenceReused: boolean }[]>`
    select
      coalesce((
        select sum(credit) from events
        where program_id = ${String(event.programId)} and beneficiary = ${event.beneficiary}
          and ${db.unsafe(COUNTED_TODAY)}
      ), 0)::text as "beneficiaryToday",
      coalesce((
        select sum(credit) from events
        where program_id = ${String(event.programId)} and issuer_id = ${String(event.issuerId)}
          and ${db.unsafe(COUNTED_TODAY)}
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

/** Distinct scopes of a group, as parallel columns for unnest: the program and one other key each. */
function scopesOf(events: readonly NewEvent[], other: (event: NewEvent) => string | null) {
  const seen = new Map<string, [string, string]>();
  for (const event of events) {
    const key = other(event);
    if (key !== null) seen.set(`${event.programId}:${key}`, [String(event.programId), key]);
  }
  const pairs = [...seen.values()];
  return { programs: pairs.map(([program]) => program), keys: pairs.map(([, key]) => key) };
}

/**
 * eventContext for a group recorded in one transaction: takes the lock of every beneficiary in the group,
 * in the locks' own order so that two groups never wait on each other in a circle, and reads each event's
 * sums as committed before the group, once per beneficiary, issuer and evidence hash however many events
 * share one (one round trip: the statements are pipelined). The group's own events are added to them in
 * order by holdReasonsInOrder.
 */
export async function groupContexts(db: Queryable, events: readonly NewEvent[]): Promise<EventContext[]> {
  const locks = db`
    select pg_advisory_xact_lock(lock) from (
      select distinct hashtextextended(scope, 0) as lock from unnest(${db.array(events.map(lockScope))}::text[]) as scope order by lock
    ) as sorted`.execute();
  const b = scopesOf(events, (event) => event.beneficiary);
  const beneficiaries = db<{ scope: string; total: string }[]>`
    select s.program_id || ':' || s.beneficiary as scope, coalesce((
      select sum(credit) from events where program_id = s.program_id and beneficiary = s.beneficiary and ${db.unsafe(COUNTED_TODAY)}
    ), 0)::text as total
    from unnest(${db.array(b.programs)}::bigint[], ${db.array(b.keys)}::text[]) as s(program_id, beneficiary)`.execute();
  const i = scopesOf(events, (event) => String(event.issuerId));
  const issuers = db<{ scope: string; total: string }[]>`
    select s.program_id || ':' || s.issuer_id as scope, coalesce((
      select sum(credit) from events where program_id = s.program_id and issuer_id = s.issuer_id and ${db.unsafe(COUNTED_TODAY)}
    ), 0)::text as total
    from unnest(${db.array(i.programs)}::bigint[], ${db.array(i.keys)}::bigint[]) as s(program_id, issuer_id)`.execute();
  const e = scopesOf(events, (event) => event.evidenceHash);
  const reused = db<{ scope: string }[]>`
    select s.program_id || ':' || s.evidence_hash as scope
    from unnest(${db.array(e.programs)}::bigint[], ${db.array(e.keys)}::text[]) as s(program_id, evidence_hash)
    where exists (select 1 from events where program_id = s.program_id and evidence_hash = s.evidence_hash)`.execute();
  const [, beneficiaryTotals, issuerTotals, reusedEvidence] = await Promise.all([locks, beneficiaries, issuers, reused]);
  const totals = (rows: { scope: string; total: string }[]) => new Map(rows.map((row) => [row.scope, BigInt(row.total)]));
  const [byBeneficiary, byIssuer] = [totals(beneficiaryTotals), totals(issuerTotals)];
  const reusedScopes = new Set(reusedEvidence.map((row) => row.scope));
  return events.map((event) => ({
    beneficiaryToday: byBeneficiary.get(`${event.programId}:${event.beneficiary}`)!,
    issuerToday: byIssuer.get(`${event.programId}:${event.issuerId}`)!,
    evidenceReused: event.evidenceHash !== null && reusedScopes.has(`${event.programId}:${event.evidenceHash}`),
  }));
}

/** `pending` for the mint batcher, `held` with reasons, `escrowed` for a phone-only collector (beneficiary `phone:…`). */
const statusOf = (beneficiary: string, reasons: readonly string[]) =>
  reasons.length > 0 ? "held" : beneficiary.startsWith("phone:") ? "escrowed" : "pending";

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
            ${String(event.credit)}, ${statusOf(event.beneficiary, reasons)}, ${db.array([...reasons])})
    returning ${db.unsafe(COLUMNS)}`;
  return parseRow(row!);
}

/** An event of a group to write: its hold reasons, and the bonus held back on it until its lot is confirmed. */
export interface EventToInsert {
  event: NewEvent;
  reasons: readonly string[];
  bonus: bigint;
}

/**
 * insertEvent (and holdBonus) for a group, in one statement. The rows go in the order given, so their ids
 * ascend in it (the identity is drawn row by row, after the sort); the written events come back in it.
 */
export async function insertEvents(db: Queryable, rows: readonly EventToInsert[]): Promise<CreditEvent[]> {
  const values = rows.map(({ event, reasons, bonus }, n) => ({
    n,
    kind: event.kind,
    program_id: String(event.programId),
    issuer_id: String(event.issuerId),
    beneficiary: event.beneficiary,
    collector_id: event.collectorId === null ? null : String(event.collectorId),
    material: event.material,
    grams: event.grams === null ? null : String(event.grams),
    loyalty_type: event.loyaltyType,
    loyalty_value: event.loyaltyValue === null ? null : String(event.loyaltyValue),
    campaign: event.campaign,
    evidence_hash: event.evidenceHash,
    credit: String(event.credit),
    status: statusOf(event.beneficiary, reasons),
    reasons,
    bonus: String(bonus),
  }));
  const written = await db`
    insert into events (kind, program_id, issuer_id, beneficiary, collector_id, material, grams, loyalty_type,
                        loyalty_value, campaign, evidence_hash, credit, status, reasons, bonus)
    select kind, program_id, issuer_id, beneficiary, collector_id, material, grams, loyalty_type,
           loyalty_value, campaign, evidence_hash, credit, status, reasons, bonus
    from jsonb_to_recordset(${db.json(values)}) as e(
      n int, kind text, program_id bigint, issuer_id bigint, beneficiary text, collector_id bigint, material text,
      grams bigint, loyalty_type text, loyalty_value numeric, campaign text, evidence_hash text, credit numeric,
      status text, reasons text[], bonus numeric)
    order by n
    returning ${db.unsafe(COLUMNS)}`;
  return written.map(parseRow).sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

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
