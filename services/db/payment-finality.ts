/** Payments between inclusion and finality (see finality.ts). */
import { blockRecords, type FinalityLedger } from "./finality.js";
import { confirmIncludedPayments } from "./payments.js";
import type { Sql } from "./sql.js";

export function paymentLedger(sql: Sql): FinalityLedger {
  return {
    ...blockRecords(sql, "payments", { refusals: true }),
    name: "payments",
    confirmUpTo: (deepest) => confirmIncludedPayments(sql, deepest),
  };
}
