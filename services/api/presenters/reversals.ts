import { formatTokenAmount } from "../../core/amounts.js";
import type { Reversal } from "../../db/reversals.js";

/** A reversal as the API shows it: amounts in token units. */
export function presentReversal(r: Reversal) {
  return {
    id: Number(r.id),
    eventId: Number(r.eventId),
    programId: Number(r.programId),
    holder: r.holder,
    reason: r.reason,
    requestedBy: Number(r.requestedBy),
    amount: formatTokenAmount(r.amount),
    burned: r.burned === null ? null : formatTokenAmount(r.burned),
    shortfall: r.shortfall === null ? null : formatTokenAmount(r.shortfall),
    status: r.status,
    txHash: r.txHash,
    blockNumber: r.blockNumber === null ? null : Number(r.blockNumber),
    createdAt: r.createdAt.toISOString(),
  };
}

/** In the console's list, with why a failed one failed (it may be claimed again). */
export function presentListedReversal(r: Reversal) {
  return { ...presentReversal(r), failureReason: r.failureReason };
}
