/**
 * Limits a program sets on what one event, one beneficiary (collector or customer) per day, and one issuer
 * (collection point or brand) per day may earn, in token base units. An event over any of them is held
 * for an operator's review instead of being minted.
 */
export interface Caps {
  perEvent?: bigint;
  perBeneficiaryDaily?: bigint;
  perIssuerDaily?: bigint;
}

export const HOLD_REASONS = [
  "RC_OVER_EVENT_MAX",
  "RC_OVER_BENEFICIARY_DAILY_CAP",
  "RC_OVER_ISSUER_DAILY_CAP",
  "RC_EVIDENCE_REUSED",
] as const;
export type HoldReason = (typeof HOLD_REASONS)[number];

export interface EventAssessment {
  credit: bigint;
  /** Credited or pending today (UTC) for the same beneficiary in the program, this event excluded. */
  beneficiaryToday: bigint;
  /** Credited or pending today (UTC) by the same issuer in the program, this event excluded. */
  issuerToday: bigint;
  /** Whether another event already carries this drop-off's evidence hash (a photo, a scale ticket). */
  evidenceReused: boolean;
}

/** Every reason to hold the event; none means it may be minted. */
export function holdReasons(caps: Caps, event: EventAssessment): HoldReason[] {
  const reasons: HoldReason[] = [];
  if (caps.perEvent !== undefined && event.credit > caps.perEvent) reasons.push("RC_OVER_EVENT_MAX");
  if (caps.perBeneficiaryDaily !== undefined && event.beneficiaryToday + event.credit > caps.perBeneficiaryDaily) {
    reasons.push("RC_OVER_BENEFICIARY_DAILY_CAP");
  }
  if (caps.perIssuerDaily !== undefined && event.issuerToday + event.credit > caps.perIssuerDaily) {
    reasons.push("RC_OVER_ISSUER_DAILY_CAP");
  }
  if (event.evidenceReused) reasons.push("RC_EVIDENCE_REUSED");
  return reasons;
}

/** An event of a group recorded in one transaction, with what was committed before the group began. */
export interface GroupedEvent {
  caps: Caps;
  programId: bigint;
  beneficiary: string;
  issuerId: bigint;
  evidenceHash: string | null;
  credit: bigint;
  /** EventAssessment's sums and evidence as committed before the group: its own events not counted. */
  committed: Omit<EventAssessment, "credit">;
}

/**
 * The hold reasons of a group's events, each assessed as if those before it in the group had been recorded
 * first, one by one: what one credits without a hold counts toward the daily sums of the later ones (a held
 * credit does not, as in the committed sums), and evidence that one carries, held or not, is reused by a later one.
 */
export function holdReasonsInOrder(events: readonly GroupedEvent[]): HoldReason[][] {
  const credited = new Map<string, bigint>();
  const evidence = new Set<string>();
  const add = (scope: string, credit: bigint) => credited.set(scope, (credited.get(scope) ?? 0n) + credit);
  return events.map((event) => {
    const beneficiaryScope = `${event.programId}:beneficiary:${event.beneficiary}`;
    const issuerScope = `${event.programId}:issuer:${event.issuerId}`;
    const evidenceScope = event.evidenceHash === null ? undefined : `${event.programId}:${event.evidenceHash}`;
    const reasons = holdReasons(event.caps, {
      credit: event.credit,
      beneficiaryToday: event.committed.beneficiaryToday + (credited.get(beneficiaryScope) ?? 0n),
      issuerToday: event.committed.issuerToday + (credited.get(issuerScope) ?? 0n),
      evidenceReused: event.committed.evidenceReused || (evidenceScope !== undefined && evidence.has(evidenceScope)),
    });
    if (reasons.length === 0) {
      add(beneficiaryScope, event.credit);
      add(issuerScope, event.credit);
    }
    if (evidenceScope !== undefined) evidence.add(evidenceScope);
    return reasons;
  });
}
