/**
 * Credits between inclusion and finality: a credit's transaction in a block is `included`; it becomes
 * `confirmed` once enough blocks stand on it, and goes back to `submitted` if a reorganisation takes its
 * block away, to be settled anew from the chain (the token's event-id bitmap keeps the credit single).
 */
import type { Sql } from "./sql.js";
import { webhookOutboxInsert } from "./webhook-outbox.js";

/** A block that holds included or recently confirmed credits, as their receipts named it. */
export interface RecordedBlock {
  blockNumber: number;
  blockHash: string | null;
  included: number;
}

/** The blocks above `floor` that carry credits, newest first. */
export async function creditBlocksAbove(sql: Sql, floor: number): Promise<RecordedBlock[]> {
  const rows = await sql<{ blockNumber: string; blockHash: string | null; included: number }[]>`
    select block_number::text as "blockNumber", block_hash as "blockHash",
           (count(*) filter (where status = 'included'))::int as included
    from events
    where status in ('included', 'confirmed') and block_number > ${floor}
    group by block_number, block_hash
    order by block_number desc`;
  return rows.map((row) => ({ blockNumber: Number(row.blockNumber), blockHash: row.blockHash, included: row.included }));
}

/** The transactions whose credits the block `blockNumber` (as recorded) holds. */
export async function creditTransactionsIn(sql: Sql, blockNumber: number): Promise<string[]> {
  const rows = await sql<{ txHash: string }[]>`
    select distinct tx_hash as "txHash" from events
    where status in ('included', 'confirmed') and block_number = ${blockNumber}`;
  return rows.map((row) => row.txHash);
}

/**
 * Confirms the included credits of blocks up to `deepest` (those with enough blocks on them) and tells the
 * issuers' webhooks. Returns how many were confirmed.
 */
export async function confirmIncludedUpTo(sql: Sql, deepest: number): Promise<number> {
  const [row] = await sql<{ count: number }[]>`
    with changed as (
      update events set status = 'confirmed', updated_at = now()
      where status = 'included' and block_number <= ${deepest}
      returning id, program_id, issuer_id, beneficiary, credit, tx_hash, block_number),
    webhook as (
      select jsonb_build_object('eventId', id, 'programId', program_id, 'beneficiary', beneficiary,
        'tokens', trim_scale(credit * 0.000000000000000001)::text, 'txHash', tx_hash,
        'blockNumber', block_number) as payload, array[issuer_id] as member_ids
      from changed),
    sent as (${webhookOutboxInsert(sql, "credit.confirmed")})
    select count(*)::int as count from changed`;
  return row?.count ?? 0;
}

/** The transaction now sits in another block (re-included after a reorganisation): included again there. */
export async function moveCreditsToBlock(sql: Sql, txHash: string, fromBlock: number, block: { number: number; hash: string }) {
  await sql`
    update events set status = 'included', block_number = ${block.number}, block_hash = ${block.hash}, updated_at = now()
    where status in ('included', 'confirmed') and block_number = ${fromBlock} and tx_hash = ${txHash}`;
}

/**
 * The transaction is in no block any more: its credits are `submitted` again under the same hash, for the
 * mint batcher to settle from the chain as it does after a crash. Returns their ids.
 */
export async function returnCreditsToSubmitted(sql: Sql, txHash: string, fromBlock: number): Promise<bigint[]> {
  const rows = await sql<{ id: bigint }[]>`
    update events set status = 'submitted', block_number = null, block_hash = null, updated_at = now()
    where status in ('included', 'confirmed') and block_number = ${fromBlock} and tx_hash = ${txHash}
    returning id`;
  await sql`update mint_batches set status = 'submitted', block_number = null where tx_hash = ${txHash}`;
  return rows.map((row) => row.id);
}
