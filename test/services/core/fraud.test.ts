import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { HOLD_REASONS, holdReasons, type Caps, type EventAssessment } from "../../../services/core/fraud.js";

const TOKEN = 10n ** 18n;
const CAPS: Caps = { perEvent: 10n * TOKEN, perBeneficiaryDaily: 50n * TOKEN, perIssuerDaily: 1_000n * TOKEN };
const event = (overrides: Partial<EventAssessment> = {}): EventAssessment => ({
  credit: TOKEN,
  beneficiaryToday: 0n,
  issuerToday: 0n,
  evidenceReused: false,
  ...overrides,
});

describe("holdReasons", () => {
  it("holds nothing for an event within every cap", () => {
    expect(holdReasons(CAPS, event())).toEqual([]);
  });

  it("allows an event exactly at the per-event cap and holds one base unit over", () => {
    expect(holdReasons(CAPS, event({ credit: 10n * TOKEN }))).toEqual([]);
    expect(holdReasons(CAPS, event({ credit: 10n * TOKEN + 1n }))).toEqual(["RC_OVER_EVENT_MAX"]);
  });

  it("allows a beneficiary to reach the daily cap exactly and holds one base unit over", () => {
    expect(holdReasons(CAPS, event({ beneficiaryToday: 49n * TOKEN, credit: TOKEN }))).toEqual([]);
    expect(holdReasons(CAPS, event({ beneficiaryToday: 49n * TOKEN + 1n, credit: TOKEN }))).toEqual([
      "RC_OVER_BENEFICIARY_DAILY_CAP",
    ]);
  });

  it("allows an issuer to reach the daily cap exactly and holds one base unit over", () => {
    expect(holdReasons(CAPS, event({ issuerToday: 999n * TOKEN, credit: TOKEN }))).toEqual([]);
    expect(holdReasons(CAPS, event({ issuerToday: 999n * TOKEN, credit: TOKEN + 1n }))).toEqual([
      "RC_OVER_ISSUER_DAILY_CAP",
    ]);
  });

  it("holds an event whose evidence another event already carries", () => {
    expect(holdReasons(CAPS, event({ evidenceReused: true }))).toEqual(["RC_EVIDENCE_REUSED"]);
    expect(holdReasons({}, event({ evidenceReused: true }))).toEqual(["RC_EVIDENCE_REUSED"]);
  });

  it("lists every reason at once, in a stable order", () => {
    const everything = event({
      credit: 20n * TOKEN,
      beneficiaryToday: 40n * TOKEN,
      issuerToday: 990n * TOKEN,
      evidenceReused: true,
    });
    expect(holdReasons(CAPS, everything)).toEqual([...HOLD_REASONS]);
    expect(holdReasons({ perBeneficiaryDaily: 50n * TOKEN }, { ...everything, evidenceReused: false })).toEqual([
      "RC_OVER_BENEFICIARY_DAILY_CAP",
    ]);
  });

  it("holds nothing without caps, however large the event", () => {
    const huge = event({ credit: 2n ** 255n, beneficiaryToday: 2n ** 255n, issuerToday: 2n ** 255n });
    expect(holdReasons({}, huge)).toEqual([]);
  });

  it("treats a zero cap as a cap: any credit is held, a zero credit is not", () => {
    const zero: Caps = { perEvent: 0n, perBeneficiaryDaily: 0n, perIssuerDaily: 0n };
    expect(holdReasons(zero, event({ credit: 0n }))).toEqual([]);
    expect(holdReasons(zero, event({ credit: 1n }))).toEqual([
      "RC_OVER_EVENT_MAX",
      "RC_OVER_BENEFICIARY_DAILY_CAP",
      "RC_OVER_ISSUER_DAILY_CAP",
    ]);
  });

  it("holds for a daily cap exactly when the day's total including this event exceeds it", () => {
    const amount = fc.bigInt({ min: 0n, max: 10n ** 24n });
    fc.assert(
      fc.property(amount, amount, amount, (cap, today, credit) => {
        const reasons = holdReasons({ perBeneficiaryDaily: cap }, event({ credit, beneficiaryToday: today }));
        expect(reasons.includes("RC_OVER_BENEFICIARY_DAILY_CAP")).toBe(today + credit > cap);
      }),
    );
  });
});
