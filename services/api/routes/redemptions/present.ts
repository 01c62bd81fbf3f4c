import { formatDecimal, formatTokenAmount } from "../../../core/amounts.js";
import type { Redemption } from "../../../db/redemptions.js";

/** A redemption as the API shows it: tokens in token units, the vault's figures in stablecoin units. */
export function presentRedemption(r: Redemption, stablecoinDecimals: number) {
  const stable = (value: bigint | null) => (value === null ? null : formatDecimal(value, stablecoinDecimals));
  return {
    id: Number(r.id),
    programId: Number(r.programId),
    retailer: r.retailer,
    tokens: formatTokenAmount(r.tokens),
    deadline: Number(r.deadline),
    status: r.status,
    gross: stable(r.gross),
    fee: stable(r.fee),
    net: r.gross === null || r.fee === null ? null : stable(r.gross - r.fee),
    draws: r.draws.map((d) => ({ depositId: Number(d.depositId), sponsor: d.sponsor, amount: stable(d.amount)! })),
    vaultRedemptionId: r.vaultRedemptionId === null ? null : Number(r.vaultRedemptionId),
    failureReason: r.failureReason,
    txHash: r.txHash,
    blockNumber: r.blockNumber === null ? null : Number(r.blockNumber),
    createdAt: r.createdAt.toISOString(),
  };
}
