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
