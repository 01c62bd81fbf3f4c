import { quoteRedemption } from "../core/redemption.js";
import type { Queryable, Sql } from "./sql.js";
import { webhookOutboxInsert } from "./webhook-outbox.js";

export type RedemptionStatus = "pending" | "submitted" | "included" | "confirmed" | "failed";

/** One deposit's share of a confirmed redemption, as the vault's DepositDrawn event reported it. */
export interface RedemptionDraw {
  depositId: bigint;
  sponsor: string;
  amount: bigint;
}

export interface Redemption {
  id: bigint;
  programId: bigint;
  /** The program's token (joined from programs): what the permit is for and what the vault burns. */
  token: string;
  retailerId: bigint;
  retailer: string;
  tokens: bigint;
  permitNonce: bigint;
  deadline: bigint;
  signature: string;
  acceptedBlock: bigint;
  status: RedemptionStatus;
  failureReason: string | null;
  txHash: string | null;
  blockNumber: bigint | null;
  vaultRedemptionId: bigint | null;
  gross: bigint | null;
  fee: bigint | null;
  draws: RedemptionDraw[];
  createdAt: Date;
}

export type NewRedemption = Pick<
  Redemption,
  "programId" | "retailerId" | "retailer" | "tokens" | "permitNonce" | "deadline" | "signature" | "acceptedBlock"
>;

/** The vault's figures, from its Redeemed and DepositDrawn logs. */
export interface VaultRedemption {
  txHash: string;
  blockNumber: number;
  /** The block's hash as the receipt named it (the finality watcher's reference); absent on a stored outcome. */
  blockHash?: string;
  vaultRedemptionId: bigint;
  gross: bigint;
  fee: bigint;
  draws: RedemptionDraw[];
}

type Db = Queryable;
type StoredDraw = { depositId: string; sponsor: string; amount: string };

const COLUMNS = `r.id, r.program_id as "programId", p.token_address as token, r.retailer_id as "retailerId", r.retailer,
  r.tokens::text as tokens, r.permit_nonce::text as "permitNonce", r.deadline::text as deadline, r.signature,
  r.accepted_block as "acceptedBlock", r.status, r.failure_reason as "failureReason", r.tx_hash as "txHash",
  r.block_number as "blockNumber", r.vault_redemption_id as "vaultRedemptionId", r.gross::text as gross,
  r.fee::text as fee, r.draws, r.created_at as "createdAt"`;

const optionalBigint = (value: unknown) => (value === null ? null : BigInt(value as string));

function parseRow(row: Record<string, unknown>): Redemption {
  return {
    ...(row as unknown as Redemption),
    tokens: BigInt(row.tokens as string),
    permitNonce: BigInt(row.permitNonce as string),
    deadline: BigInt(row.deadline as string),
    gross: optionalBigint(row.gross),
    fee: optionalBigint(row.fee),
    draws: ((row.draws as StoredDraw[] | null) ?? []).map((d) => ({
      depositId: BigInt(d.depositId),
      sponsor: d.sponsor,
      amount: BigInt(d.amount),
    })),
  };
}

/**
 * Stores an accepted redemption unless the retailer already has one open in the program (its permit would
 * carry the same nonce) or the deposits cannot pay it: `depositsLeft` (on chain now) less the value at `rate`
 * of the program's other open redemptions, which will draw first. Serialized per program so two retailers
 * cannot both count on the same deposits.
 */
export async function insertRedemption(
  sql: Sql,
  redemption: NewRedemption,
  vault: { depositsLeft: bigint; rate: bigint; gross: bigint },
): Promise<Redemption | "in-progress" | { insufficient: bigint }> {
  return sql.begin((tx) => insertRedemptionIn(tx, redemption, vault)) as Promise<Redemption | "in-progress" | { insufficient: bigint }>;
}

/** insertRedemption inside a transaction the caller opened (an Idempotency-Key's, say) and will commit. */
export async function insertRedemptionIn(
  tx: Queryable,
  redemption: NewRedemption,
  vault: { depositsLeft: bigint; rate: bigint; gross: bigint },
): Promise<Redemption | "in-progress" | { insufficient: bigint }> {
  const program = String(redemption.programId);
  await tx`select pg_advisory_xact_lock(hashtextextended(${`redemptions:${program}`}, 0))`;
  const [open] = await tx<{ mine: boolean; tokens: string }[]>`
    select coalesce(bool_or(retailer_id = ${String(redemption.retailerId)}), false) as mine,
           coalesce(sum(tokens), 0)::text as tokens
    from redemptions where program_id = ${program} and status in ('pending', 'submitted')`;
  if (open!.mine) return "in-progress";
  // Their sum valued at once rounds down no more than each one would: never an under-reservation.
  const available = vault.depositsLeft - quoteRedemption(BigInt(open!.tokens), vault.rate, 0n).gross;
  if (vault.gross > available) return { insufficient: available < 0n ? 0n : available };
  const [row] = await tx<{ id: bigint }[]>`
    insert into redemptions (program_id, retailer_id, retailer, tokens, permit_nonce, deadline, signature,
                             accepted_block, status)
    values (${program}, ${String(redemption.retailerId)}, ${redemption.retailer}, ${String(redemption.tokens)},
            ${String(redemption.permitNonce)}, ${String(redemption.deadline)}, ${redemption.signature},
            ${String(redemption.acceptedBlock)}, 'pending')
    on conflict (program_id, retailer_id) where status in ('pending', 'submitted') do nothing
    returning id`;
  return row ? (await findRedemption(tx, row.id))! : "in-progress";
}

export async function findRedemption(db: Db, id: bigint): Promise<Redemption | undefined> {
  const [row] = await db`
    select ${db.unsafe(COLUMNS)} from redemptions r join programs p on p.id = r.program_id where r.id = ${String(id)}`;
  return row ? parseRow(row) : undefined;
}

/** The redemptions with these ids that exist, in any order: one round trip for a whole batch. */
export async function findRedemptions(db: Db, ids: bigint[]): Promise<Redemption[]> {
  if (ids.length === 0) return [];
  const rows = await db`
    select ${db.unsafe(COLUMNS)} from redemptions r join programs p on p.id = r.program_id
    where r.id = any(${db.array(ids.map(String))}::bigint[])`;
  return rows.map(parseRow);
}

/** Records a batch's transaction for all its redemptions before it is broadcast (see markRedemptionSubmitted). */
export async function markRedemptionsSubmitted(db: Db, ids: bigint[], txHash: string) {
  if (ids.length === 0) return;
  await db`update redemptions set status = 'submitted', tx_hash = ${txHash}, updated_at = now()
    where id = any(${db.array(ids.map(String))}::bigint[]) and status in ('pending', 'submitted')`;
}

/** Of these on-chain redemption ids, the ones a row already claims. */
export async function claimedVaultRedemptions(db: Db, ids: bigint[]): Promise<Set<bigint>> {
  if (ids.length === 0) return new Set();
  const rows = await db<{ id: bigint }[]>`
    select vault_redemption_id as id from redemptions
    where vault_redemption_id = any(${db.array(ids.map(String))}::bigint[])`;
  return new Set(rows.map((r) => r.id));
}

/** Records the transaction before it is broadcast (the outbox entry): whatever reaches the chain is findable. */
export async function markRedemptionSubmitted(db: Db, id: bigint, txHash: string) {
  await db`update redemptions set status = 'submitted', tx_hash = ${txHash}, updated_at = now()
    where id = ${String(id)} and status in ('pending', 'submitted')`;
}

export async function markRedemptionIncluded(db: Db, id: bigint, outcome: VaultRedemption) {
  await markRedemptionsIncluded(db, [{ id, outcome }]);
}

/**
 * Records redemptions the vault paid, with its figures, as `included` in one statement (a batch's, say); the
 * finality watcher confirms them once their block is deep enough.
 */
export async function markRedemptionsIncluded(db: Db, included: { id: bigint; outcome: VaultRedemption }[]) {
  if (included.length === 0) return;
  const input = included.map(({ id, outcome }) => ({
    id: String(id),
    tx_hash: outcome.txHash,
    block_number: outcome.blockNumber,
    block_hash: outcome.blockHash ?? null,
    vault_redemption_id: String(outcome.vaultRedemptionId),
    gross: String(outcome.gross),
    fee: String(outcome.fee),
    draws: outcome.draws.map((d): StoredDraw => ({ depositId: String(d.depositId), sponsor: d.sponsor, amount: String(d.amount) })),
  }));
  await db`
    with input as (
      select * from jsonb_to_recordset(${db.json(input)}) as i(id bigint, tx_hash text, block_number bigint, block_hash text,
        vault_redemption_id bigint, gross numeric, fee numeric, draws jsonb))
    update redemptions r set status = 'included', tx_hash = i.tx_hash, block_number = i.block_number, block_hash = i.block_hash,
      vault_redemption_id = i.vault_redemption_id, gross = i.gross, fee = i.fee, draws = i.draws,
      failure_reason = null, updated_at = now()
    from input i
    where r.id = i.id and r.status not in ('included', 'confirmed')`;
}

/**
 * Confirms the included redemptions of blocks up to `deepest`; the retailers' webhooks hear of each in the same
 * statement: paid, with what the vault paid out.
 */
export async function confirmIncludedRedemptions(db: Db, deepest: number): Promise<void> {
  await db`
    with changed as (
      update redemptions set status = 'confirmed', updated_at = now()
      where status = 'included' and block_number <= ${deepest}
      returning id, program_id, retailer_id, retailer, tokens, gross, fee, tx_hash, block_number),
    webhook as (
      select jsonb_build_object('redemptionId', id, 'programId', program_id, 'retailer', retailer,
        'tokens', trim_scale(tokens * 0.000000000000000001)::text, 'grossBaseUnits', gross::text, 'feeBaseUnits', fee::text,
        'txHash', tx_hash, 'blockNumber', block_number) as payload, array[retailer_id] as member_ids
      from changed)
    ${webhookOutboxInsert(db, "redemption.paid")}`;
}

/** Refused: by the receipt of `txHash` in `block` (followed for reorganisations, migration 019), or by none. */
export async function markRedemptionFailed(db: Db, id: bigint, reason: string, txHash: string | null, block: { number: number; hash: string } | null) {
  await db`
    update redemptions set status = 'failed', failure_reason = ${reason}, tx_hash = ${txHash},
      block_number = ${block?.number ?? null}, block_hash = ${block?.hash ?? null}, updated_at = now()
    where id = ${String(id)} and status in ('pending', 'submitted')`;
}

/** Back to the queue's hands: the transaction that carried it never made it on chain. */
export async function markRedemptionPending(db: Db, id: bigint) {
  await db`update redemptions set status = 'pending', tx_hash = null, updated_at = now()
    where id = ${String(id)} and status = 'submitted'`;
}

/** Redemptions not yet final, oldest first: what the reconciler makes sure has a job. */
export async function openRedemptions(db: Db, olderThanMs: number, limit = 10_000) {
  return db<{ id: bigint }[]>`
    select id from redemptions
    where status in ('pending', 'submitted') and created_at < now() - make_interval(secs => ${olderThanMs / 1000})
    order by id limit ${limit}`;
}
