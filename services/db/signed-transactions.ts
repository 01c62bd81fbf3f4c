import type { Sql } from "./sql.js";

/** A transaction as signed, before broadcast (migration 012). */
export interface SignedTransaction {
  hash: string;
  signer: string;
  nonce: number;
  /** The hash the outbox row recorded: the first transaction signed for it at this nonce. */
  originalHash: string;
  raw: string;
  maxFeePerGas: bigint;
  maxPriorityFeePerGas: bigint;
}

type Row = Omit<SignedTransaction, "nonce" | "maxFeePerGas" | "maxPriorityFeePerGas"> & {
  nonce: bigint;
  maxFeePerGas: string;
  maxPriorityFeePerGas: string;
};

const fromRow = (row: Row): SignedTransaction => ({
  ...row,
  nonce: Number(row.nonce),
  maxFeePerGas: BigInt(row.maxFeePerGas),
  maxPriorityFeePerGas: BigInt(row.maxPriorityFeePerGas),
});

const columns = (sql: Sql) => sql`
  hash, signer, nonce, original_hash as "originalHash", '0x' || encode(raw, 'hex') as raw,
  max_fee_per_gas::text as "maxFeePerGas", max_priority_fee_per_gas::text as "maxPriorityFeePerGas"`;

export async function recordSigned(sql: Sql, tx: SignedTransaction): Promise<void> {
  await sql`
    insert into signed_transactions (hash, signer, nonce, original_hash, raw, max_fee_per_gas, max_priority_fee_per_gas)
    values (${tx.hash}, ${tx.signer}, ${tx.nonce}, ${tx.originalHash}, ${Buffer.from(tx.raw.slice(2), "hex")}, ${String(tx.maxFeePerGas)},
      ${String(tx.maxPriorityFeePerGas)})
    on conflict (hash) do nothing`;
}

/** Every transaction of the family `hash` belongs to (the original and its replacements), oldest first. */
export async function familyOf(sql: Sql, hash: string): Promise<SignedTransaction[]> {
  const rows = await sql<Row[]>`
    select ${columns(sql)} from signed_transactions
    where original_hash = coalesce((select original_hash from signed_transactions where hash = ${hash}), ${hash})
    order by id`;
  return rows.map(fromRow);
}

/** The signer's transactions at nonces from `fromNonce` on, oldest first: what may still be waiting to mine. */
export async function signedFrom(sql: Sql, signer: string, fromNonce: number): Promise<SignedTransaction[]> {
  const rows = await sql<Row[]>`
    select ${columns(sql)} from signed_transactions
    where signer = ${signer} and nonce >= ${fromNonce}
    order by nonce, id`;
  return rows.map(fromRow);
}
