import type { Sql, TransactionSql } from "./sql.js";
import { webhookOutboxInsert } from "./webhook-outbox.js";

export type PaymentStatus = "pending" | "submitted" | "included" | "confirmed" | "failed";

export interface Payment {
  id: bigint;
  programId: bigint;
  token: string;
  payer: string;
  payee: string;
  retailerId: bigint;
  value: bigint;
  validAfter: bigint;
  validBefore: bigint;
  nonce: string;
  signature: string;
  source: "online" | "voucher";
  status: PaymentStatus;
  failureReason: string | null;
  txHash: string | null;
  blockNumber: bigint | null;
  createdAt: Date;
  updatedAt: Date;
}

type Db = Sql | TransactionSql;

const COLUMNS = `id, program_id as "programId", token, payer, payee, retailer_id as "retailerId", value::text as value,
  valid_after::text as "validAfter", valid_before::text as "validBefore", nonce, signature, source, status,
  failure_reason as "failureReason", tx_hash as "txHash", block_number as "blockNumber",
  created_at as "createdAt", updated_at as "updatedAt"`;

function parseRow(row: Record<string, unknown>): Payment {
  return {
    ...(row as unknown as Payment),
    value: BigInt(row.value as string),
    validAfter: BigInt(row.validAfter as string),
    validBefore: BigInt(row.validBefore as string),
  };
}

/** A settled payment (confirmed or failed) as its retailer's webhooks see it, written with the update. */
const SETTLED = `id, program_id, payer, payee, retailer_id, value, status, failure_reason, tx_hash, block_number`;
const settledWebhook = (db: Db) => db`
  webhook as (
    select jsonb_build_object('paymentId', id, 'programId', program_id, 'payer', payer, 'payee', payee,
      'amount', trim_scale(value * 0.000000000000000001)::text, 'status', status, 'failureReason', failure_reason,
      'txHash', tx_hash, 'blockNumber', block_number) as payload, array[retailer_id] as member_ids
    from changed)
  ${webhookOutboxInsert(db, "payment.settled")}`;

export type NewPayment = Omit<Payment, "id" | "status" | "failureReason" | "txHash" | "blockNumber" | "createdAt" | "updatedAt">;

/**
 * Stores an accepted authorization if the payer can cover it: `balance` (on chain now) minus what the
 * payer already has pending in the program. Serialized per payer so two payments cannot both spend the
 * same tokens. Returns undefined when the balance does not cover it, and "replayed" for a nonce seen before.
 */
export async function insertPayment(
  sql: Sql,
  payment: NewPayment,
  balance: bigint,
): Promise<Payment | "replayed" | { insufficient: bigint }> {
  return sql.begin(async (tx) => {
    await tx`select pg_advisory_xact_lock(hashtextextended(${`payer:${payment.programId}:${payment.payer}`}, 0))`;
    const [pending] = await tx<{ total: string }[]>`
      select coalesce(sum(value), 0)::text as total from payments
      where program_id = ${String(payment.programId)} and payer = ${payment.payer} and status in ('pending', 'submitted')`;
    const available = balance - BigInt(pending!.total);
    if (payment.value > available) return { insufficient: available };
    const [row] = await tx`
      insert into payments (program_id, token, payer, payee, retailer_id, value, valid_after, valid_before, nonce,
                            signature, source, status)
      values (${String(payment.programId)}, ${payment.token}, ${payment.payer}, ${payment.payee},
              ${String(payment.retailerId)}, ${String(payment.value)}, ${String(payment.validAfter)},
              ${String(payment.validBefore)}, ${payment.nonce}, ${payment.signature}, ${payment.source}, 'pending')
      on conflict (token, payer, nonce) do nothing
      returning ${tx.unsafe(COLUMNS)}`;
    return row ? parseRow(row) : "replayed";
  }) as Promise<Payment | "replayed" | { insufficient: bigint }>;
}

export async function findPayment(db: Db, id: bigint): Promise<Payment | undefined> {
  const [row] = await db`select ${db.unsafe(COLUMNS)} from payments where id = ${String(id)}`;
  return row ? parseRow(row) : undefined;
}

export async function findPayments(db: Db, ids: bigint[]): Promise<Payment[]> {
  if (ids.length === 0) return [];
  const rows = await db`select ${db.unsafe(COLUMNS)} from payments where id = any(${db.array(ids.map(String))}::bigint[])`;
  return rows.map(parseRow);
}

/** Records the relay transaction against its payments before it is broadcast (the outbox entry). */
export async function markPaymentsSubmitted(db: Db, ids: bigint[], txHash: string) {
  await db`
    update payments set status = 'submitted', tx_hash = ${txHash}, updated_at = now()
    where id = any(${db.array(ids.map(String))}::bigint[]) and status in ('pending', 'submitted')`;
}

/**
 * Marks payments relayed by `txHash` in the block `block` as `included` (one statement for a whole relay
 * receipt); the finality watcher confirms them, and tells the retailers' webhooks, once the block is deep
 * enough.
 */
export async function markPaymentsIncluded(db: Db, ids: bigint[], txHash: string, block: { number: number; hash: string }) {
  if (ids.length === 0) return;
  await db`
    update payments set status = 'included', tx_hash = ${txHash}, block_number = ${block.number}, block_hash = ${block.hash},
      failure_reason = null, updated_at = now()
    where id = any(${db.array(ids.map(String))}::bigint[]) and status in ('pending', 'submitted', 'failed')`;
}

/** Confirms the included payments of blocks up to `deepest`, telling each retailer's webhooks it is settled. */
export async function confirmIncludedPayments(db: Db, deepest: number): Promise<void> {
  await db`
    with changed as (
      update payments set status = 'confirmed', updated_at = now()
      where status = 'included' and block_number <= ${deepest}
      returning ${db.unsafe(SETTLED)}),
    ${settledWebhook(db)}`;
}

/** Refused: by the receipt of `txHash` in `block` (followed for reorganisations, migration 019), or by none. */
export async function markPaymentFailed(db: Db, id: bigint, reason: string, txHash: string | null, block: { number: number; hash: string } | null) {
  await db`
    with changed as (
      update payments set status = 'failed', failure_reason = ${reason}, tx_hash = ${txHash},
        block_number = ${block?.number ?? null}, block_hash = ${block?.hash ?? null}, updated_at = now()
      where id = ${String(id)} and status in ('pending', 'submitted')
      returning ${db.unsafe(SETTLED)}),
    ${settledWebhook(db)}`;
}

/** Back to the queue's hands: the transaction that carried it never made it on chain. */
export async function markPaymentPending(db: Db, id: bigint) {
  await db`update payments set status = 'pending', tx_hash = null, updated_at = now()
    where id = ${String(id)} and status = 'submitted'`;
}

/** Payments not yet final, oldest first: what the reconciler makes sure has a job. */
export async function openPayments(db: Db, olderThanMs: number, limit = 10_000) {
  return db<{ id: bigint; payer: string; nonce: string }[]>`
    select id, payer, nonce from payments
    where status in ('pending', 'submitted') and created_at < now() - make_interval(secs => ${olderThanMs / 1000})
    order by id limit ${limit}`;
}

/** Payments `wallet` signed or received, newest first. */
export async function paymentsOfWallet(db: Db, wallet: string, limit: number): Promise<Payment[]> {
  // Two index scans (payer, payee) rather than one `or` that would read the whole table.
  const rows = await db`
    (select ${db.unsafe(COLUMNS)} from payments where payer = ${wallet} order by id desc limit ${limit})
    union
    (select ${db.unsafe(COLUMNS)} from payments where payee = ${wallet} order by id desc limit ${limit})
    order by id desc limit ${limit}`;
  return rows.map(parseRow);
}

/** Payments to a retailer, newest first. */
export async function paymentsToRetailer(db: Db, retailerId: bigint, limit: number): Promise<Payment[]> {
  const rows = await db`
    select ${db.unsafe(COLUMNS)} from payments where retailer_id = ${String(retailerId)} order by id desc limit ${limit}`;
  return rows.map(parseRow);
}
