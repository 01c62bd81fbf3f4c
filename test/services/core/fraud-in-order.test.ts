import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { type Caps, type GroupedEvent, holdReasons, holdReasonsInOrder } from "../../../services/core/fraud.js";

const TOKEN = 10n ** 18n;
const CAPS: Caps = { perEvent: 10n * TOKEN, perBeneficiaryDaily: 15n * TOKEN, perIssuerDaily: 25n * TOKEN };
const NOTHING_YET = { beneficiaryToday: 0n, issuerToday: 0n, evidenceReused: false };

type Drop = Omit<GroupedEvent, "caps" | "committed">;
const drop = (overrides: Partial<Drop> = {}): Drop => ({
  programId: 1n,
  beneficiary: "0xA",
  issuerId: 7n,
  evidenceHash: null,
  credit: 6n * TOKEN,
  ...overrides,
});
const grouped = (drops: Drop[], caps = CAPS): GroupedEvent[] => drops.map((d) => ({ ...d, caps, committed: NOTHING_YET }));

type Row = { drop: Drop; held: boolean };

/** What the database sums for `d` from the rows recorded before it: held rows left out of the daily sums, every row's evidence counted. */
function committedFor(recorded: Row[], d: Drop): GroupedEvent["committed"] {
  const counted = recorded.filter((row) => !row.held && row.drop.programId === d.programId);
  const sum = (rows: Row[]) => rows.reduce((total, row) => total + row.drop.credit, 0n);
  return {
    beneficiaryToday: sum(counted.filter((row) => row.drop.beneficiary === d.beneficiary)),
    issuerToday: sum(counted.filter((row) => row.drop.issuerId === d.issuerId)),
    evidenceReused: d.evidenceHash !== null && recorded.some((row) => row.drop.programId === d.programId && row.drop.evidenceHash === d.evidenceHash),
  };
}

/** The oracle: events recorded one by one, each assessed against the rows recorded before it. */
function oneByOne(drops: Drop[], caps: Caps, recorded: Row[] = []) {
  return drops.map((d) => {
    const reasons = holdReasons(caps, { credit: d.credit, ...committedFor(recorded, d) });
    recorded.push({ drop: d, held: reasons.length > 0 });
    return reasons;
  });
}

describe("holdReasonsInOrder", () => {
  it("counts an earlier event of the group toward a later one's daily cap", () => {
    const reasons = holdReasonsInOrder(grouped([drop(), drop(), drop(), drop({ beneficiary: "0xB" })]));
    expect(reasons).toEqual([[], [], ["RC_OVER_BENEFICIARY_DAILY_CAP"], []]);
  });

  it("leaves a held event out of the sums of those after it", () => {
    const reasons = holdReasonsInOrder(grouped([drop({ credit: 11n * TOKEN }), drop({ credit: 10n * TOKEN })]));
    expect(reasons).toEqual([["RC_OVER_EVENT_MAX"], []]);
  });

  it("adds the group's credits to what was committed before it, per beneficiary and per issuer", () => {
    const events = grouped([drop({ beneficiary: "0xB" }), drop({ beneficiary: "0xC" }), drop({ beneficiary: "0xD" })]).map((e) => ({
      ...e,
      committed: { ...NOTHING_YET, issuerToday: 12n * TOKEN },
    }));
    expect(holdReasonsInOrder(events)).toEqual([[], [], ["RC_OVER_ISSUER_DAILY_CAP"]]);
  });

  it("flags evidence an earlier event of the group carries, even a held one, within its program only", () => {
    const ticket = "0xticket";
    const reasons = holdReasonsInOrder(
      grouped([drop({ evidenceHash: ticket, credit: 11n * TOKEN }), drop({ evidenceHash: ticket, programId: 2n }), drop({ evidenceHash: ticket })]),
    );
    expect(reasons).toEqual([["RC_OVER_EVENT_MAX"], [], ["RC_EVIDENCE_REUSED"]]);
  });

  it("keeps the sums of programs apart", () => {
    const reasons = holdReasonsInOrder(grouped([drop(), drop(), drop({ programId: 2n }), drop({ programId: 2n }), drop({ programId: 2n })]));
    expect(reasons).toEqual([[], [], [], [], ["RC_OVER_BENEFICIARY_DAILY_CAP"]]);
  });

  it("decides every event of any group as recording them one by one would", () => {
    const anyDrop = fc.record({
      programId: fc.constantFrom(1n, 2n),
      beneficiary: fc.constantFrom("0xA", "0xB", "phone:c"),
      issuerId: fc.constantFrom(7n, 8n),
      evidenceHash: fc.constantFrom(null, "0x1", "0x2"),
      credit: fc.bigInt({ min: 0n, max: 12n * TOKEN }),
    });
    fc.assert(
      fc.property(fc.array(anyDrop, { maxLength: 40 }), fc.nat(40), (drops, split) => {
        expect(holdReasonsInOrder(grouped(drops))).toEqual(oneByOne(drops, CAPS));
        // A group after committed events: what the database sums for them is what the group starts from.
        const [before, group] = [drops.slice(0, split), drops.slice(split)];
        const recorded: Row[] = [];
        oneByOne(before, CAPS, recorded);
        const together = holdReasonsInOrder(group.map((d) => ({ ...d, caps: CAPS, committed: committedFor(recorded, d) })));
        expect(together).toEqual(oneByOne(group, CAPS, recorded));
      }),
    );
  });
});
