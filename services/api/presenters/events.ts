import { formatTokenAmount } from "../../core/amounts.js";
import type { CreditEvent } from "../../db/events.js";
import type { Material } from "../../core/materials.js";

/** An event as the API shows it; fields of the other kind are left out rather than null. */
export function presentEvent(event: CreditEvent) {
  return {
    id: Number(event.id),
    kind: event.kind,
    programId: Number(event.programId),
    issuerId: Number(event.issuerId),
    beneficiary: event.beneficiary,
    ...(event.material !== null ? { material: event.material as Material } : {}),
    ...(event.grams !== null ? { grams: Number(event.grams) } : {}),
    ...(event.loyaltyType !== null ? { type: event.loyaltyType } : {}),
    ...(event.loyaltyValue !== null ? { value: formatTokenAmount(event.loyaltyValue) } : {}),
    ...(event.campaign !== null ? { campaign: event.campaign } : {}),
    ...(event.evidenceHash !== null ? { evidenceHash: event.evidenceHash } : {}),
    ...(event.reviewNote !== null ? { reviewNote: event.reviewNote } : {}),
    ...(event.failureCode !== null ? { failureCode: event.failureCode } : {}),
    ...(event.failureReason !== null ? { failureReason: event.failureReason } : {}),
    ...(event.failedAt !== null ? { failedAt: event.failedAt.toISOString() } : {}),
    tokens: formatTokenAmount(event.credit),
    status: event.status,
    reasons: event.reasons,
    txHash: event.txHash,
    blockNumber: event.blockNumber === null ? null : Number(event.blockNumber),
    createdAt: event.createdAt.toISOString(),
  };
}
