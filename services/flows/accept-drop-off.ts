import { recyclingCredit, splitBonus } from "../core/earning.js";
import type { Material } from "../core/materials.js";
import type { CreditEvent } from "../db/events.js";
import type { Member } from "../db/members.js";
import { acceptEvent, type AcceptDeps, issuingProgram } from "./accept-event.js";
import { type BeneficiaryDeps, collectionBeneficiary, releaseIfClaimedMeanwhile } from "./beneficiary.js";

export type DropOffDeps = AcceptDeps & BeneficiaryDeps;

/** A drop-off as a collection point reports it: by a registered wallet (`collector`) or a phone number. */
export interface DropOff {
  programId: number;
  collector?: string | undefined;
  phone?: string | undefined;
  material: Material;
  grams: number;
  evidenceHash?: string | undefined;
}

/**
 * Records a drop-off once per Idempotency-Key: tokens = grams × rate(material) / 1000, less the bonus share
 * held until the lot is confirmed. A phone collector's drop-off waits in escrow until the phone is claimed.
 */
export async function acceptDropOff<A extends { status: CreditEvent["status"] }>(
  deps: DropOffDeps,
  point: Member,
  dropOff: DropOff,
  request: { idempotencyKey: string; present(event: CreditEvent): A },
) {
  const program = await issuingProgram(deps.lookups, point, dropOff.programId, "recycling");
  const who = await collectionBeneficiary(deps, dropOff, program.phoneCountry);
  const grams = BigInt(dropOff.grams);
  const { now: credit, bonus } = splitBonus(recyclingCredit(program.rates, dropOff.material, grams), program.bonusShareBps);
  const result = await acceptEvent(
    deps,
    { route: "POST /v1/collections", idempotencyKey: request.idempotencyKey, body: who.fingerprintBody, present: request.present },
    point,
    program,
    {
      kind: "collection",
      programId: program.id,
      issuerId: point.id,
      beneficiary: who.beneficiary,
      collectorId: who.collectorId,
      material: dropOff.material,
      grams,
      loyaltyType: null,
      loyaltyValue: null,
      campaign: null,
      evidenceHash: dropOff.evidenceHash?.toLowerCase() ?? null,
      credit,
    },
    bonus,
  );
  if (who.phoneKey !== undefined && result.body.status === "escrowed") await releaseIfClaimedMeanwhile(deps, who.phoneKey);
  return result;
}
