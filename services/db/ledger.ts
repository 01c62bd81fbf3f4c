/**
 * The read side: what a wallet holds and what moved it, from what the indexer copied off the chain
 * (chain_events), joined with the programs and the rows that explain each movement. Balances come from
 * Transfer logs rather than from our own tables, so they agree with `balanceOf` at the indexed block even
 * for transfers made without us.
 */
import { ZeroAddress } from "ethers";
import type { Sql, TransactionSql } from "./sql.js";

type Db = Sql | TransactionSql;

export interface TokenBalance {
  programId: bigint;
  name: string;
  symbol: string;
  token: string;
  balance: bigint;
}

/** A Transfer log to or from a holder that none of our payments or credits accounts for. */
export interface ChainTransfer {
  programId: bigint;
  from: string;
  to: string;
  value: bigint;
  txHash: string;
  blockNumber: bigint;
  logIndex: number;
}

export interface RedemptionRecord {
  id: bigint;
  programId: bigint;
  tokens: bigint;
  status: string;
  failureReason: string | null;
  txHash: string | null;
  blockNumber: bigint | null;
  /** Stablecoin base units, known once the vault's Redeemed event is read (null before). */
  gross: bigint | null;
  fee: bigint | null;
  createdAt: Date;
}

const big = (value: unknown) => (value === null || value === undefined ? null : BigInt(value as string));

/**
 * Every program token `holder` (EIP-55, as the indexer stores addresses) ever received or sent, with what it
 * holds now: the sum of Transfer values to it minus those from it. Tokens of programs we do not know are left
 * out: they are not ours to name.
 */
export async function tokenBalances(db: Db, holder: string): Promise<TokenBalance[]> {
  const rows = await db<{ programId: bigint; name: string; symbol: string; token: string; balance: string }[]>`
    select p.id as "programId", p.name, p.symbol, p.token_address as token,
      (coalesce(sum((e.args->>'value')::numeric) filter (where e.args->>'to' = ${holder}), 0)
        - coalesce(sum((e.args->>'value')::numeric) filter (where e.args->>'from' = ${holder}), 0))::text as balance
    from chain_events e join programs p on p.token_address = e.address
    where e.name = 'Transfer' and e.contract = 'token' and (e.args->>'to' = ${holder} or e.args->>'from' = ${holder})
    group by p.id
    order by p.id`;
  return rows.map((row) => ({ ...row, balance: BigInt(row.balance) }));
}

/**
 * Transfers to or from `holder`, newest first, that are neither the settlement of one of our payments (the
 * same transaction used the payment's EIP-3009 nonce) nor the mint of one of our credit events (the token's
 * Credited log right after it names the event id) nor the burn of one of our reversals. Those appear in the
 * history from their own rows.
 */
export async function unexplainedTransfers(db: Db, holder: string, limit: number): Promise<ChainTransfer[]> {
  const rows = await db<(Omit<ChainTransfer, "value"> & { value: string })[]>`
    select p.id as "programId", t.args->>'from' as "from", t.args->>'to' as "to", t.args->>'value' as value,
           t.tx_hash as "txHash", t.block_number as "blockNumber", t.log_index as "logIndex"
    from chain_events t join programs p on p.token_address = t.address
    where t.name = 'Transfer' and t.contract = 'token' and (t.args->>'to' = ${holder} or t.args->>'from' = ${holder})
      and not exists (
        select 1 from chain_events u join payments pay
          on pay.token = u.address and pay.payer = u.args->>'authorizer' and pay.nonce = u.args->>'nonce'
        where u.tx_hash = t.tx_hash and u.name = 'AuthorizationUsed' and u.address = t.address
          and pay.payer = t.args->>'from' and pay.payee = t.args->>'to' and pay.value = (t.args->>'value')::numeric)
      and not (t.args->>'from' = ${ZeroAddress} and exists (
        select 1 from chain_events c join events ev
          -- A guarded cast: an event id beyond bigint cannot be ours, and must not fail the query.
          on ev.id = case when length(c.args->>'eventId') <= 18 then (c.args->>'eventId')::bigint end
        where c.block_hash = t.block_hash and c.log_index = t.log_index + 1 and c.name = 'Credited'
          and ev.program_id = p.id and ev.beneficiary = t.args->>'to'))
      -- The burn of one of our credit reversals: the history shows it from its reversals row.
      and not (t.args->>'to' = ${ZeroAddress} and exists (
        select 1 from reversals r where r.tx_hash = t.tx_hash and r.holder = t.args->>'from'))
    order by t.block_number desc, t.log_index desc
    limit ${limit}`;
  return rows.map((row) => ({ ...row, value: BigInt(row.value) }));
}

/**
 * A retailer's redemptions, newest first. Only columns the redemption worker has had since the table was
 * created are read; the amounts it fills in on confirmation are null until then.
 */
export async function retailerRedemptions(db: Db, retailerId: bigint, limit: number): Promise<RedemptionRecord[]> {
  const rows = await db`
    select id, program_id as "programId", tokens::text as tokens, status, failure_reason as "failureReason",
           tx_hash as "txHash", block_number as "blockNumber", gross::text as gross, fee::text as fee,
           created_at as "createdAt"
    from redemptions where retailer_id = ${String(retailerId)}
    order by id desc limit ${limit}`;
  return rows.map((row) => ({
    id: row.id as bigint,
    programId: row.programId as bigint,
    tokens: BigInt(row.tokens as string),
    status: row.status as string,
    failureReason: row.failureReason as string | null,
    txHash: row.txHash as string | null,
    blockNumber: row.blockNumber as bigint | null,
    gross: big(row.gross),
    fee: big(row.fee),
    createdAt: row.createdAt as Date,
  }));
}
