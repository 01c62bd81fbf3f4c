import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { checkCredits, compareMoney, type CreditReceipt } from "../../../services/core/fund-flow-compare.js";
import { fundFlowCsv } from "../../../services/core/fund-flow-csv.js";
import { presentFundFlow } from "../../../services/core/fund-flow-present.js";
import { buildFundFlow, isoWeek, splitFee, type FundFlowInput } from "../../../services/core/fund-flow.js";

const SPONSOR = "0x00000000000000000000000000000000000000a1";
const OTHER = "0x00000000000000000000000000000000000000a2";
const PROGRAM = "0x00000000000000000000000000000000000000b1";
const RETAILER = "0x00000000000000000000000000000000000000c1";
const tx = (n: number) => `0x${n.toString(16).padStart(64, "0")}`;
const at = (blockNumber: number, logIndex = 0) => ({ txHash: tx(blockNumber), blockNumber, logIndex });

/** Two deposits of the sponsor (10 and 5 tUSD) and one of another; redemption 1 spans the sponsor's two. */
function input(): FundFlowInput {
  return {
    sponsor: SPONSOR,
    fromBlock: 0,
    toBlock: 100,
    deposited: [
      { ...at(10), depositId: 1n, program: PROGRAM, sponsor: SPONSOR, amount: 10_000_000n },
      { ...at(11), depositId: 2n, program: PROGRAM, sponsor: SPONSOR, amount: 5_000_000n },
      { ...at(12), depositId: 3n, program: PROGRAM, sponsor: OTHER, amount: 7_000_000n },
    ],
    redeemed: [
      { ...at(20, 3), redemptionId: 1n, program: PROGRAM, retailer: RETAILER, tokens: 1n, gross: 12_000_000n, fee: 1_000_001n },
      { ...at(30, 2), redemptionId: 2n, program: PROGRAM, retailer: RETAILER, tokens: 1n, gross: 4_000_000n, fee: 333n },
    ],
    drawn: [
      { ...at(20, 1), redemptionId: 1n, depositId: 1n, sponsor: SPONSOR, amount: 10_000_000n },
      { ...at(20, 2), redemptionId: 1n, depositId: 2n, sponsor: SPONSOR, amount: 2_000_000n },
      { ...at(30, 0), redemptionId: 2n, depositId: 2n, sponsor: SPONSOR, amount: 3_000_000n },
      { ...at(30, 1), redemptionId: 2n, depositId: 3n, sponsor: OTHER, amount: 1_000_000n },
    ],
    withdrawals: [],
    credited: [
      { ...at(5, 0), program: PROGRAM, eventId: 1n, to: RETAILER, amount: 25n * 10n ** 17n },
      { ...at(5, 1), program: PROGRAM, eventId: 2n, to: RETAILER, amount: 5n * 10n ** 18n },
      { ...at(6, 0), program: PROGRAM, eventId: 3n, to: RETAILER, amount: 10n ** 18n }, // a loyalty credit
    ],
    collections: [
      { eventId: 1n, material: "PET", grams: 1_000n, point: "Bank Sampah", collectedAt: new Date("2026-11-23T08:00:00Z") },
      { eventId: 2n, material: "HDPE", grams: 2_000n, point: "Bank Sampah", collectedAt: new Date("2026-11-30T08:00:00Z") },
    ],
    solvency: [{ program: PROGRAM, outstandingValue: 900_000n, depositsLeft: 6_000_000n }],
  };
}

describe("the fund-flow report", () => {
  it("shows each deposit with its draws, fee shares and what is left", () => {
    const report = presentFundFlow(buildFundFlow(input()), 6);
    expect(report.totals).toEqual({ deposited: "15", drawn: "15", fees: "1.000251", paidToRetailers: "13.999749", withdrawn: "0", left: "0" });
    expect(report.deposits.map((d) => [d.depositId, d.amount, d.drawn, d.left])).toEqual([[1, "10", "10", "0"], [2, "5", "5", "0"]]);
    // Redemption 1: 1,000,001 × 10/12 = 833,334.17 and × 2/12 = 166,666.83: the spare unit goes to the larger remainder.
    expect(report.deposits[0]!.draws).toEqual([
      { redemptionId: 1, retailer: RETAILER, retailerName: null, amount: "10", fee: "0.833334", net: "9.166666", txHash: tx(20), blockNumber: 20, at: null },
    ]);
    // Redemption 2 drew 3 from deposit 2 and 1 from the other sponsor's: 249.75 and 83.25, so 250 here.
    expect(report.deposits[1]!.draws.map((d) => d.fee)).toEqual(["0.166667", "0.00025"]);
    expect(report.programs[0]!.solvency).toEqual({ outstandingValue: "0.9", depositsLeft: "6", solvent: true, blockNumber: 100 });
  });

  it("says when each deposit and draw happened, from the block times it is given", () => {
    const report = presentFundFlow(buildFundFlow(input()), 6, new Map([[10, 1_795_000_000], [20, 1_795_000_060]]));
    expect(report.deposits[0]).toMatchObject({ at: "2026-11-18T11:06:40.000Z", draws: [{ at: "2026-11-18T11:07:40.000Z" }] });
    expect(report.deposits[1]!.at).toBeNull();
    expect(fundFlowCsv(report).split("\n")[1]).toMatch(/,10,2026-11-18T11:06:40.000Z$/);
  });

  it("groups the credited collections by material, point and ISO week, leaving out loyalty credits", () => {
    const { collections } = presentFundFlow(buildFundFlow(input()), 6).programs[0]!;
    expect(collections).toMatchObject({ count: 2, kg: "3", tokens: "7.5" });
    expect(collections.byWeek.map((g) => [g.key, g.kg, g.tokens])).toEqual([["2026-W48", "1", "2.5"], ["2026-W49", "2", "5"]]);
    expect(collections.byPoint).toEqual([{ key: "Bank Sampah", count: 2, kg: "3", tokens: "7.5", txHashes: [tx(5)] }]);
  });

  it("keeps to its block range: later draws do not count, earlier deposits are not listed", () => {
    const report = presentFundFlow(buildFundFlow({ ...input(), fromBlock: 11, toBlock: 25 }), 6);
    expect(report.deposits.map((d) => [d.depositId, d.left])).toEqual([[2, "3"]]);
    expect(report.programs[0]!.collections.count).toBe(0);
  });

  it("splits a fee into integer shares that add up to it and never exceed a draw", () => {
    const draws = fc.array(fc.bigInt({ min: 1n, max: 10n ** 15n }), { minLength: 1, maxLength: 6 });
    fc.assert(
      fc.property(draws, fc.integer({ min: 0, max: 1_000 }), (amounts, bps) => {
        const gross = amounts.reduce((a, b) => a + b, 0n);
        const fee = (gross * BigInt(bps) + 9_999n) / 10_000n; // the vault rounds the fee up
        const shares = splitFee(fee, gross, amounts);
        expect(shares.reduce((a, b) => a + b, 0n)).toBe(fee);
        shares.forEach((share, i) => expect(share >= 0n && share <= amounts[i]!).toBe(true));
      }),
    );
  });

  it("never charges a tiny last draw more than it paid", () => {
    expect(splitFee(3n, 30n, [9n, 9n, 9n, 1n, 1n, 1n])).toEqual([1n, 1n, 1n, 0n, 0n, 0n]);
    expect(splitFee(1n, 1n, [1n])).toEqual([1n]);
    expect(splitFee(5n, 7n, [2n, 2n, 2n, 1n])).toEqual([2n, 1n, 1n, 1n]);
  });

  it("names ISO weeks across a year boundary", () => {
    expect(isoWeek(new Date("2026-12-31T12:00:00Z"))).toBe("2026-W53");
    expect(isoWeek(new Date("2027-01-04T00:00:00Z"))).toBe("2027-W01");
    expect(isoWeek(new Date("2025-12-29T00:00:00Z"))).toBe("2026-W01");
  });

  it("writes a CSV whose columns add up to the totals", () => {
    const report = presentFundFlow(buildFundFlow(input()), 6);
    const [header, ...rows] = fundFlowCsv(report).trim().split("\n").map((line) => line.split(","));
    const column = (name: string, line: string) =>
      rows.filter((r) => r[0] === line).reduce((s, r) => s + Number(r[header!.indexOf(name)]! || 0) * 1e6, 0) / 1e6;
    expect(rows.map((r) => r[0])).toEqual(["deposit", "draw", "deposit", "draw", "draw", "collection", "collection"]);
    expect(column("amount", "deposit")).toBe(15);
    expect(column("fee", "draw")).toBeCloseTo(1.000251, 9);
  });

  it("dates its period from its first and last blocks' times, and names what it knows the names of", () => {
    const times = new Map([[0, 1_795_000_000], [100, 1_795_600_000]]);
    const names = new Map([[SPONSOR, "Yayasan Laut Biru"], [PROGRAM, "Ocean Plastic"], [RETAILER, "Warung Bu Tini"]]);
    const report = presentFundFlow(buildFundFlow(input()), 6, times, names);
    expect(report.period).toEqual({
      from: { blockNumber: 0, at: "2026-11-18T11:06:40.000Z" },
      to: { blockNumber: 100, at: "2026-11-25T09:46:40.000Z" },
    });
    expect(report.sponsorName).toBe("Yayasan Laut Biru");
    expect(report.deposits[0]).toMatchObject({ programName: "Ocean Plastic", draws: [{ retailer: RETAILER, retailerName: "Warung Bu Tini" }] });
    expect(report.programs[0]!.name).toBe("Ocean Plastic");
    // Names and dates are not figures the chain states: the chain's nameless report still agrees.
    expect(compareMoney(presentFundFlow(buildFundFlow(input()), 6), report)).toEqual([]);
  });

  it("writes the collections to the CSV by material, point and week, reversals apart, each program by name", () => {
    const withReversal = input();
    withReversal.collections.push({ eventId: 5n, material: "PET", grams: 500n, point: "Bank Sampah, Ketapang", collectedAt: new Date("2026-11-23T09:00:00Z") });
    withReversal.credited.push({ ...at(7, 0), program: PROGRAM, eventId: 5n, to: RETAILER, amount: 10n ** 18n });
    withReversal.collections.push({ eventId: 6n, material: "PET", grams: 700n, point: "=cmd()", collectedAt: new Date("2026-11-23T10:00:00Z"), reversal: { txHash: tx(9), blockNumber: 9 } });
    withReversal.credited.push({ ...at(8, 0), program: PROGRAM, eventId: 6n, to: RETAILER, amount: 2n * 10n ** 18n });
    const report = presentFundFlow(buildFundFlow(withReversal), 6, new Map(), new Map([[PROGRAM, "Ocean Plastic"]]));
    const lines = fundFlowCsv(report).trim().split("\n");
    const header = lines[0]!.split(",");
    expect(header).toEqual(expect.arrayContaining(["program_name", "retailer_name", "material", "point", "week", "collections", "kg", "tokens"]));
    const collections = lines.filter((l) => /^(collection|reversal),/.test(l));
    expect(collections).toEqual([
      `collection,,${PROGRAM},Ocean Plastic,,,,HDPE,Bank Sampah,2026-W49,1,2,5,,,,,,,`,
      `collection,,${PROGRAM},Ocean Plastic,,,,PET,Bank Sampah,2026-W48,1,1,2.5,,,,,,,`,
      `collection,,${PROGRAM},Ocean Plastic,,,,PET,"Bank Sampah, Ketapang",2026-W48,1,0.5,1,,,,,,,`,
      // A reversed credit is written apart, and a name that a spreadsheet would run as a formula is disarmed.
      `reversal,,${PROGRAM},Ocean Plastic,,,,PET,"'=cmd()",2026-W48,1,0.7,2,,,,,,,`,
    ]);
    expect(lines.filter((l) => l.startsWith("draw,"))[0]).toContain(`,${PROGRAM},Ocean Plastic,1,${RETAILER},,`);
  });
});

describe("verifying a report against the chain", () => {
  const honest = () => presentFundFlow(buildFundFlow(input()), 6);
  const receipts = () =>
    new Map<string, CreditReceipt>([[tx(5), { blockNumber: 5, credited: input().credited.filter((c) => c.blockNumber === 5) }]]);

  it("finds no difference in an honest report", () => {
    expect(compareMoney(honest(), honest())).toEqual([]);
    expect(checkCredits(honest(), receipts())).toEqual([]);
  });

  it("counts a bonus's tokens under its collection but not its grams or a collection of its own; a reversed credit stays with its reversal", () => {
    const withBonus = input();
    withBonus.credited.push({ ...at(7, 0), program: PROGRAM, eventId: 4n, to: RETAILER, amount: 10n ** 18n });
    withBonus.collections[0]!.reversal = { txHash: tx(8), blockNumber: 8 };
    withBonus.collections.push({ ...withBonus.collections[1]!, eventId: 4n, grams: 0n, bonusOf: 2n });
    const report = presentFundFlow(buildFundFlow(withBonus), 6);
    const { collections } = report.programs[0]!;
    expect(collections).toMatchObject({ count: 2, kg: "3", tokens: "8.5", reversed: { count: 1, kg: "1", tokens: "2.5" } });
    expect(collections.byMaterial.map((g) => [g.key, g.count, g.kg, g.tokens, g.txHashes])).toEqual([
      ["HDPE", 1, "2", "6", [tx(5), tx(7)]],
      ["PET", 1, "1", "2.5", [tx(5)]],
    ]);
    expect(collections.credits.map((c) => [c.eventId, c.bonusOf, c.kg, c.week, c.reversal?.txHash ?? null])).toEqual([
      [1, null, "1", "2026-W48", tx(8)],
      [2, null, "2", "2026-W49", null],
      [4, 2, "0", "2026-W49", null],
    ]);
    const chain = receipts();
    chain.set(tx(7), { blockNumber: 7, credited: withBonus.credited.filter((c) => c.blockNumber === 7) });
    expect(checkCredits(report, chain)).toEqual([]);
  });

  it("names a draw the API inflated", () => {
    const api = honest();
    api.deposits[1]!.draws[0]!.amount = "2.5";
    expect(compareMoney(honest(), api)).toEqual(['deposits.#2.draws.redemption #1.amount: chain says "2", API says "2.5"']);
  });

  it("names a deposit the API left out", () => {
    const api = honest();
    api.deposits.pop();
    const differences = compareMoney(honest(), api);
    expect(differences).toHaveLength(1);
    expect(differences[0]).toMatch(/^deposits\.#2: chain says \{"depositId":2,.*\}, API says nothing$/);
  });

  it("catches a credit whose amount the chain does not state, and groups that do not add up", () => {
    const api = honest();
    const collections = api.programs[0]!.collections;
    collections.credits[0]!.tokens = "3";
    expect(checkCredits(api, receipts())).toEqual([
      `credit of event 1 (tx ${tx(5)}): chain says 2.5 tokens, API says 3`,
      `${PROGRAM}.collections.tokens: chain says "8", API says "7.5"`,
      `${PROGRAM}.collections.byMaterial (sum).tokens: chain says "8", API says "7.5"`,
      `${PROGRAM}.collections.byPoint (sum).tokens: chain says "8", API says "7.5"`,
      `${PROGRAM}.collections.byWeek (sum).tokens: chain says "8", API says "7.5"`,
    ]);
  });

  it("catches a credit in a transaction that does not exist or credits another event", () => {
    const api = honest();
    api.programs[0]!.collections.credits[1]!.eventId = 9;
    expect(checkCredits(api, new Map())[0]).toBe(`credit of event 1 (tx ${tx(5)}): no such transaction on chain`);
    expect(checkCredits(api, receipts())).toContain(`credit of event 9 (tx ${tx(5)}): the transaction credits no event 9 in ${PROGRAM}`);
  });
});
