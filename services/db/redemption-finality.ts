/** Redemptions between inclusion and finality (see finality.ts). */
import { blockRecords, type FinalityLedger } from "./finality.js";
import { confirmIncludedRedemptions } from "./redemptions.js";
import type { Sql } from "./sql.js";

export function redemptionLedger(sql: Sql): FinalityLedger {
  return {
    ...blockRecords(sql, "redemptions", { refusals: true }),
    name: "redemptions",
    confirmUpTo: (deepest) => confirmIncludedRedemptions(sql, deepest),
  };
}
