import { formatTokenAmount } from "../../core/amounts.js";
import type { Payment } from "../../db/payments.js";

/** A payment as the API shows it (its own page, a retailer's overview). */
export const presentPayment = (p: Payment) => ({
  id: Number(p.id),
  programId: Number(p.programId),
  from: p.payer,
  to: p.payee,
  value: formatTokenAmount(p.value),
  source: p.source,
  status: p.status,
  failureReason: p.failureReason,
  txHash: p.txHash,
  blockNumber: p.blockNumber === null ? null : Number(p.blockNumber),
  createdAt: p.createdAt.toISOString(),
});
