import { holderAddress } from "../core/addresses.js";
import { parseTokenAmount } from "../core/amounts.js";
import { loyaltyCredit } from "../core/earning.js";
import type { CreditEvent } from "../db/events.js";
import type { Member } from "../db/members.js";
import { acceptEvent, type AcceptDeps, issuingProgram } from "./accept-event.js";

/** A loyalty event as a brand reports it: the program's rules turn its type (and value) into a credit. */
export interface LoyaltyEvent {
  programId: number;
  customer: string;
  type: string;
  value?: string | undefined;
  evidenceHash?: string | undefined;
}

/** Records a loyalty event (purchase, review, cartridge return, ...) once per Idempotency-Key. */
export async function acceptLoyaltyEvent<A extends { status: CreditEvent["status"] }>(
  deps: AcceptDeps,
  brand: Member,
  loyalty: LoyaltyEvent,
  request: { idempotencyKey: string; present(event: CreditEvent): A },
) {
  const program = await issuingProgram(deps.lookups, brand, loyalty.programId, "loyalty");
  const customer = holderAddress(loyalty.customer);
  const value = loyalty.value === undefined ? undefined : parseTokenAmount(loyalty.value, "value");
  const { credit, campaign } = loyaltyCredit(program.rules, loyalty.type, value, deps.clock?.() ?? new Date());
  const route = "POST /v1/loyalty-events";
  return acceptEvent(deps, { route, idempotencyKey: request.idempotencyKey, body: loyalty, present: request.present }, brand, program, {
    kind: "loyalty",
    programId: program.id,
    issuerId: brand.id,
    beneficiary: customer,
    collectorId: null,
    material: null,
    grams: null,
    loyaltyType: loyalty.type,
    loyaltyValue: value ?? null,
    campaign: campaign ?? null,
    evidenceHash: loyalty.evidenceHash?.toLowerCase() ?? null,
    credit,
  });
}
