import { readCheckpoint } from "../db/chain-events.js";
import { retailerRedemptions, tokenBalances, type RedemptionRecord } from "../db/ledger.js";
import type { Member } from "../db/members.js";
import { paymentsToRetailer, type Payment } from "../db/payments.js";
import { balancesNow, type Balances, type BalancesDeps } from "./read-balances.js";
import { HISTORY_LIMIT } from "./read-ledger.js";

export interface RetailerOverview extends Balances {
  indexedBlock: number | null;
  /** Newest first, at most HISTORY_LIMIT each. */
  payments: Payment[];
  redemptions: RedemptionRecord[];
}

/**
 * A shop's balances (with the payments it received and the redemptions that burned its tokens included as
 * soon as they are on chain, not once indexed), its payments and its redemptions.
 */
export async function readRetailerOverview(deps: BalancesDeps, member: Member): Promise<RetailerOverview> {
  // The checkpoint before the rest, as readLedger reads it.
  const checkpoint = await readCheckpoint(deps.sql);
  const [indexed, payments, redemptions] = await Promise.all([
    member.address ? tokenBalances(deps.sql, member.address) : [],
    paymentsToRetailer(deps.sql, member.id, HISTORY_LIMIT),
    retailerRedemptions(deps.sql, member.id, HISTORY_LIMIT),
  ]);
  const indexedBlock = checkpoint?.blockNumber ?? null;
  const now = member.address
    ? await balancesNow(deps, member.address, indexed, indexedBlock, [...payments, ...redemptions])
    : { balances: [], block: indexedBlock, updating: false };
  return { ...now, indexedBlock, payments, redemptions };
}
