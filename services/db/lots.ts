import type { Queryable } from "./sql.js";

/** `cancelled`: given up while open (migration 017); its drop-offs went back to no lot. */
export type LotStatus = "open" | "confirming" | "confirmed" | "cancelled";

export interface Lot {
  id: bigint;
  programId: bigint;
  processorId: bigint;
  material: string;
  grams: bigint;
  status: LotStatus;
  merkleRoot: string | null;
  txHash: string | null;
  blockNumber: bigint | null;
  /** The lot's collection event ids, ascending: the leaves of its Merkle tree. */
  collectionIds: bigint[];
  createdAt: Date;
  confirmedAt: Date | null;
}

const COLUMNS = `l.id, l.program_id as "programId", l.processor_id as "processorId", l.material, l.grams, l.status,
  l.merkle_root as "merkleRoot", l.tx_hash as "txHash", l.block_number as "blockNumber",
  coalesce((select array_agg(e.id order by e.id) from events e where e.lot_id = l.id and e.kind = 'collection'),
           '{}') as "collectionIds",
  l.created_at as "createdAt", l.confirmed_at as "confirmedAt"`;

const parseRow = (row: Record<string, unknown>): Lot => ({
  ...(row as unknown as Lot),
  collectionIds: (row.collectionIds as (string | bigint)[]).map((id) => BigInt(id)),
});

/** Holds `bonus` back on a just-recorded collection, in the transaction that recorded it. */
export async function holdBonus(db: Queryable, eventId: bigint, bonus: bigint): Promise<void> {
  await db`update events set bonus = ${String(bonus)} where id = ${String(eventId)}`;
}

/**
 * Of `collectionIds`, those that may not go into a lot of `programId` and `material`: not a confirmed
 * collection of that program and material, already in a lot, or reversed (a mistaken weighing is not
 * material anyone delivered, and its held bonus must never be paid). Locks the eligible rows for the caller's
 * transaction so two lots cannot take the same drop-off.
 */
export async function ineligibleCollections(
  db: Queryable,
  lot: { programId: bigint; material: string; collectionIds: bigint[] },
): Promise<bigint[]> {
  const ids = lot.collectionIds.map(String);
  const rows = await db<{ id: bigint }[]>`
    select id from events
    where id::text = any(${db.array(ids) as unknown as string[]}::text[]) and kind = 'collection'
      and program_id = ${String(lot.programId)} and material = ${lot.material} and status = 'confirmed' and lot_id is null
      and not exists (select 1 from reversals r where r.event_id = events.id and r.status <> 'failed')
    for update`;
  const eligible = new Set(rows.map((row) => BigInt(row.id)));
  return lot.collectionIds.filter((id) => !eligible.has(id));
}

/** A drop-off a lot may take: confirmed, of the program and material, in no lot, not reversed. */
export interface LotCandidate {
  id: bigint;
  pointId: bigint;
  grams: number;
  createdAt: Date;
}

/** Drop-offs a lot of `programId` and `material` may take, newest first, by point and time when asked. */
export async function lotCandidates(
  db: Queryable,
  query: { programId: bigint; material: string; pointId?: bigint; since?: Date; until?: Date; limit: number },
): Promise<LotCandidate[]> {
  const rows = await db<{ id: string; pointId: string; grams: number; createdAt: Date }[]>`
    select id::text, issuer_id::text as "pointId", grams, created_at as "createdAt" from events e
    where kind = 'collection' and program_id = ${String(query.programId)} and material = ${query.material}
      and status = 'confirmed' and lot_id is null
      and not exists (select 1 from reversals r where r.event_id = e.id and r.status <> 'failed')
      ${query.pointId === undefined ? db`` : db`and issuer_id = ${String(query.pointId)}`}
      ${query.since === undefined ? db`` : db`and created_at >= ${query.since}`}
      ${query.until === undefined ? db`` : db`and created_at < ${query.until}`}
    order by id desc limit ${query.limit}`;
  return rows.map((row) => ({ id: BigInt(row.id), pointId: BigInt(row.pointId), grams: row.grams, createdAt: row.createdAt }));
}

/** Creates an open lot of the given (already checked and locked) collections; its weight is their sum. */
export async function insertLot(
  db: Queryable,
  lot: { programId: bigint; processorId: bigint; material: string; collectionIds: bigint[] },
): Promise<Lot> {
  const ids = db.array(lot.collectionIds.map(String)) as unknown as string[];
  const [created] = await db<{ id: bigint }[]>`
    with lot as (
      insert into lots (program_id, processor_id, material, grams, status)
      select ${String(lot.programId)}, ${String(lot.processorId)}, ${lot.material}, sum(grams), 'open'
      from events where id::text = any(${ids}::text[])
      returning id
    )
    update events set lot_id = (select id from lot), updated_at = now()
    where id::text = any(${ids}::text[])
    returning lot_id as id`;
  return (await findLot(db, BigInt(created!.id)))!;
}

export async function findLot(db: Queryable, id: bigint): Promise<Lot | undefined> {
  const [row] = await db`select ${db.unsafe(COLUMNS)} from lots l where l.id = ${String(id)}`;
  return row ? parseRow(row) : undefined;
}

/**
 * Starts confirming an open lot of `processorId`'s: marks it `confirming` with its Merkle root and writes
 * one pending bonus event per collection that held a bonus (the mint batcher then credits each under its
 * own id; none for a reversed one). Undefined when the lot is not open (already confirming or
 * confirmed): nothing is written twice.
 */
export async function startConfirming(db: Queryable, lotId: bigint, processorId: bigint, merkleRoot: string) {
  const [lot] = await db<{ id: bigint }[]>`
    update lots set status = 'confirming', merkle_root = ${merkleRoot}
    where id = ${String(lotId)} and processor_id = ${String(processorId)} and status = 'open'
    returning id`;
  if (!lot) return undefined;
  const bonuses = await db<{ id: bigint }[]>`
    insert into events (kind, program_id, issuer_id, beneficiary, collector_id, material, credit, status, lot_id, bonus_of)
    select 'bonus', program_id, ${String(processorId)}, beneficiary, collector_id, material, bonus, 'pending', lot_id, id
    from events where lot_id = ${String(lotId)} and kind = 'collection' and bonus > 0
      -- reversed after it joined the lot: its base credit was clawed back, so its bonus is not paid either
      and not exists (select 1 from reversals r where r.event_id = events.id and r.status <> 'failed')
    order by id
    returning id`;
  return { bonusEventIds: bonuses.map((row) => BigInt(row.id)) };
}

/** A reorganisation took the certificate's transaction away: the lot is confirming again until it lands anew. */
export async function reopenConfirming(db: Queryable, lotId: bigint): Promise<void> {
  await db`
    update lots set status = 'confirming', tx_hash = null, block_number = null, confirmed_at = null
    where id = ${String(lotId)} and status = 'confirmed'`;
}

/** The certificate's transaction sits in another block after a reorganisation. */
export async function moveLotCertificate(db: Queryable, lotId: bigint, blockNumber: number): Promise<void> {
  await db`update lots set block_number = ${blockNumber} where id = ${String(lotId)} and status = 'confirmed'`;
}

/** Records the certificate's transaction; only a `confirming` lot changes, so a repeat is a no-op. */
export async function finishConfirming(db: Queryable, lotId: bigint, tx: { txHash: string; blockNumber: number }) {
  const [row] = await db`
    update lots set status = 'confirmed', tx_hash = ${tx.txHash}, block_number = ${tx.blockNumber}, confirmed_at = now()
    where id = ${String(lotId)} and status = 'confirming'
    returning id`;
  return row !== undefined;
}

/**
 * Cancels an open lot and frees its drop-offs for another lot; undefined when the lot is not open (confirming or
 * confirmed lots have their bonuses written and keep them). Its collection ids stay readable from the answer.
 */
export async function cancelOpenLot(db: Queryable, lotId: bigint, by: bigint): Promise<bigint[] | undefined> {
  const [lot] = await db`
    update lots set status = 'cancelled', cancelled_at = now(), cancelled_by = ${String(by)}
    where id = ${String(lotId)} and status = 'open'
    returning id`;
  if (!lot) return undefined;
  const freed = await db<{ id: bigint }[]>`
    update events set lot_id = null, updated_at = now() where lot_id = ${String(lotId)} and kind = 'collection' returning id`;
  return freed.map((row) => BigInt(row.id)).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

export interface LotQuery {
  below: bigint;
  limit: number;
  processorId?: bigint;
  programId?: bigint;
  status?: LotStatus;
}

/** Lots newest first, filtered (a processor's own, an admin's all). */
export async function listLots(db: Queryable, query: LotQuery): Promise<Lot[]> {
  const rows = await db`
    select ${db.unsafe(COLUMNS)} from lots l
    where l.id < ${String(query.below)}
      ${query.processorId === undefined ? db`` : db`and l.processor_id = ${String(query.processorId)}`}
      ${query.programId === undefined ? db`` : db`and l.program_id = ${String(query.programId)}`}
      ${query.status === undefined ? db`` : db`and l.status = ${query.status}`}
    order by l.id desc limit ${query.limit}`;
  return rows.map(parseRow);
}
