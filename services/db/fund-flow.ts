import type {
  CollectionDetail,
  CreditedLog,
  DepositDrawnLog,
  DepositedLog,
  LogRef,
  RedeemedLog,
  WithdrawalLog,
} from "../core/fund-flow.js";
import type { Sql } from "./sql.js";

/**
 * The indexed logs and collection details a sponsor's fund-flow report is built from. Everything but the
 * collection details comes from chain_events as the indexer decoded it (uint256 as decimal strings,
 * addresses checksummed), so the report says what the chain says, up to the indexed block.
 */

interface Row {
  txHash: string;
  blockNumber: bigint;
  logIndex: number;
  address: string;
  args: Record<string, string>;
}

const ref = (row: Row): LogRef => ({ txHash: row.txHash, blockNumber: Number(row.blockNumber), logIndex: row.logIndex });

export interface FundFlowRows {
  deposited: DepositedLog[];
  redeemed: RedeemedLog[];
  drawn: DepositDrawnLog[];
  withdrawals: WithdrawalLog[];
  credited: CreditedLog[];
  collections: CollectionDetail[];
}

/** Logs of the sponsor's deposits made in [fromBlock, toBlock], the redemptions that drew on them up to toBlock. */
export async function fundFlowRows(sql: Sql, vault: string, sponsor: string, fromBlock: number, toBlock: number): Promise<FundFlowRows> {
  const columns = sql`tx_hash as "txHash", block_number as "blockNumber", log_index as "logIndex", address, args`;
  const deposits = await sql<Row[]>`
    select ${columns} from chain_events
    where address = ${vault} and name = 'Deposited' and lower(args->>'sponsor') = ${sponsor.toLowerCase()}
      and block_number between ${fromBlock} and ${toBlock}
    order by block_number, log_index`;
  const depositIds = deposits.map((row) => row.args.depositId!);
  const programs = [...new Set(deposits.map((row) => row.args.program!))];

  // Every draw of every redemption that touched these deposits: a draw's fee share depends on its siblings.
  const draws = await sql<Row[]>`
    select ${columns} from chain_events
    where address = ${vault} and name = 'DepositDrawn' and block_number <= ${toBlock}
      and args->>'redemptionId' in (
        select args->>'redemptionId' from chain_events
        where address = ${vault} and name = 'DepositDrawn' and args->>'depositId' = any(${depositIds}::text[]))
    order by block_number, log_index`;
  // A deposit's withdrawal: announced, cancelled, withdrawn; all the core needs to tell where it stands at toBlock.
  const withdrawals = await sql<Row[]>`
    select ${columns} from chain_events
    where address = ${vault} and name in ('WithdrawalAnnounced', 'WithdrawalCancelled', 'Withdrawn')
      and block_number <= ${toBlock} and args->>'depositId' = any(${depositIds}::text[])
    order by block_number, log_index`;
  const redemptionIds = [...new Set(draws.map((row) => row.args.redemptionId!))];
  const redeemed = await sql<Row[]>`
    select ${columns} from chain_events
    where address = ${vault} and name = 'Redeemed' and args->>'redemptionId' = any(${redemptionIds}::text[])`;
  const credited = await sql<Row[]>`
    select ${columns} from chain_events
    where address = any(${programs}::text[]) and name = 'Credited' and block_number between ${fromBlock} and ${toBlock}
    order by block_number, log_index`;
  const eventIds = credited.map((row) => row.args.eventId!);
  // A bonus (migration 007) is reported as the collection it completes: that drop-off's material, point and
  // time, with no grams of its own. A confirmed reversal (migration 005) mined by toBlock is attached.
  const collections = await sql<
    {
      id: bigint;
      material: string;
      grams: bigint;
      point: string;
      createdAt: Date;
      bonusOf: bigint | null;
      reversalTx: string | null;
      reversalBlock: bigint | null;
    }[]
  >`
    select e.id, coalesce(o.material, e.material) as material,
      case when e.kind = 'bonus' then 0 else coalesce(e.grams, 0) end as grams,
      m.name as point, coalesce(o.created_at, e.created_at) as "createdAt", e.bonus_of as "bonusOf",
      r.tx_hash as "reversalTx", r.block_number as "reversalBlock"
    from events e
    left join events o on o.id = e.bonus_of
    join members m on m.id = coalesce(o.issuer_id, e.issuer_id)
    left join reversals r on r.event_id = e.id and r.status in ('included', 'confirmed') and r.block_number <= ${toBlock}
    where (e.kind = 'collection' or (e.kind = 'bonus' and o.kind = 'collection'))
      and e.id::text = any(${eventIds}::text[])`;

  return {
    deposited: deposits.map((row) => ({
      ...ref(row),
      depositId: BigInt(row.args.depositId!),
      program: row.args.program!,
      sponsor: row.args.sponsor!,
      amount: BigInt(row.args.amount!),
    })),
    drawn: draws.map((row) => ({
      ...ref(row),
      redemptionId: BigInt(row.args.redemptionId!),
      depositId: BigInt(row.args.depositId!),
      sponsor: row.args.sponsor!,
      amount: BigInt(row.args.amount!),
    })),
    withdrawals: withdrawals.map((row): WithdrawalLog => {
      const depositId = BigInt(row.args.depositId!);
      if (row.args.withdrawableAt !== undefined) return { ...ref(row), depositId, kind: "announced", withdrawableAt: BigInt(row.args.withdrawableAt) };
      if (row.args.amount !== undefined) return { ...ref(row), depositId, kind: "withdrawn", amount: BigInt(row.args.amount) };
      return { ...ref(row), depositId, kind: "cancelled" };
    }),
    redeemed: redeemed.map((row) => ({
      ...ref(row),
      redemptionId: BigInt(row.args.redemptionId!),
      program: row.args.program!,
      retailer: row.args.retailer!,
      tokens: BigInt(row.args.tokens!),
      gross: BigInt(row.args.gross!),
      fee: BigInt(row.args.fee!),
    })),
    credited: credited.map((row) => ({
      ...ref(row),
      program: row.address,
      eventId: BigInt(row.args.eventId!),
      to: row.args.to!,
      amount: BigInt(row.args.amount!),
    })),
    collections: collections.map((c) => ({
      eventId: BigInt(c.id),
      material: c.material,
      grams: BigInt(c.grams),
      point: c.point,
      collectedAt: c.createdAt,
      bonusOf: c.bonusOf === null ? undefined : BigInt(c.bonusOf),
      reversal: c.reversalTx === null ? undefined : { txHash: c.reversalTx, blockNumber: Number(c.reversalBlock) },
    })),
  };
}

/**
 * The names behind a report's addresses (lower-case address → name): members (the sponsor, retailers) by their
 * chain address, the newest member first when two share one, and programs by their token's address.
 */
export async function fundFlowNames(sql: Sql, addresses: string[]): Promise<Map<string, string>> {
  const lower = [...new Set(addresses.map((a) => a.toLowerCase()))];
  const rows = await sql<{ address: string; name: string }[]>`
    select distinct on (lower(address)) lower(address) as address, name from members
    where lower(address) = any(${lower}::text[])
    order by lower(address), id desc`;
  const programs = await sql<{ address: string; name: string }[]>`
    select lower(token_address) as address, name from programs where lower(token_address) = any(${lower}::text[])`;
  return new Map([...rows, ...programs].map((row) => [row.address, row.name]));
}
