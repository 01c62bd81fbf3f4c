/**
 * What the credit score reads of a wallet's ledger: its confirmed credits and the payments it signed. Only
 * the first credit and those of the last twelve weeks are fetched: older credits move nothing in the score
 * but tenure, which the first one alone decides (credit-score.ts), so a long history stays one small read.
 */
import type { CreditLedger } from "../core/credit-score.js";
import { REGULARITY_WEEKS } from "../core/credit-score.js";
import type { Sql, TransactionSql } from "./sql.js";

type Db = Sql | TransactionSql;

const WINDOW_MS = REGULARITY_WEEKS * 7 * 86_400_000;

/** `wallet` is EIP-55, as events and payments store it. Rows after `asOf` are left to the core to ignore. */
export async function creditLedger(db: Db, wallet: string, asOf: Date): Promise<CreditLedger> {
  const since = new Date(asOf.getTime() - WINDOW_MS);
  // A credit an admin reversed (a mistaken weighing) was never earned: it counts for nothing.
  const notReversed = db`not exists (select 1 from reversals r where r.event_id = e.id and r.status in ('included', 'confirmed'))`;
  const [credits, payments] = await Promise.all([
    db<{ at: Date; tokens: string }[]>`
      (select created_at as at, credit::text as tokens from events e
       where beneficiary = ${wallet} and status = 'confirmed' and credit > 0 and created_at <= ${since} and ${notReversed}
       order by created_at limit 1)
      union all
      (select created_at as at, credit::text as tokens from events e
       where beneficiary = ${wallet} and status = 'confirmed' and credit > 0 and created_at > ${since} and ${notReversed})`,
    db<{ at: Date; status: CreditLedger["payments"][number]["status"] }[]>`
      select created_at as at, status from payments where payer = ${wallet}`,
  ]);
  // The two parts do not overlap: the first is the oldest credit only when it is older than the window.
  return {
    credits: credits.map((row) => ({ at: row.at, tokens: BigInt(row.tokens) })),
    payments: payments.map((row) => ({ at: row.at, status: row.status })),
  };
}
