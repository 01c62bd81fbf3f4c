import { describe, expect, it } from "vitest";
import { compareMoney } from "../../../services/core/fund-flow-compare.js";
import { fundFlowCsv } from "../../../services/core/fund-flow-csv.js";
import { moneyBlocks, presentFundFlow } from "../../../services/core/fund-flow-present.js";
import { buildFundFlow, withdrawalOf, type FundFlowInput, type WithdrawalLog } from "../../../services/core/fund-flow.js";

const SPONSOR = "0x00000000000000000000000000000000000000a1";
const OTHER = "0x00000000000000000000000000000000000000a2";
const PROGRAM = "0x00000000000000000000000000000000000000b1";
const RETAILER = "0x00000000000000000000000000000000000000c1";
const tx = (n: number) => `0x${n.toString(16).padStart(64, "0")}`;
const at = (blockNumber: number, logIndex = 0) => ({ txHash: tx(blockNumber), blockNumber, logIndex });
const NOTICE_END = 1_796_000_000n;

/**
 * Deposit 1 (10 tUSD): 4 drawn during its notice, the 6 left withdrawn at block 40. Deposit 2 (5 tUSD):
 * announced and cancelled. Deposit 3 (another sponsor's, 7 tUSD): announced and withdrawn, not in this report.
 */
function input(): FundFlowInput {
  return {
    sponsor: SPONSOR,
    fromBlock: 0,
    toBlock: 100,
    deposited: [
      { ...at(10), depositId: 1n, program: PROGRAM, sponsor: SPONSOR, amount: 10_000_000n },
      { ...at(11), depositId: 2n, program: PROGRAM, sponsor: SPONSOR, amount: 5_000_000n },
      { ...at(12), depositId: 3n, program: OTHER, sponsor: OTHER, amount: 7_000_000n },
    ],
    redeemed: [{ ...at(20, 1), redemptionId: 1n, program: PROGRAM, retailer: RETAILER, tokens: 1n, gross: 4_000_000n, fee: 20_000n }],
    drawn: [{ ...at(20, 0), redemptionId: 1n, depositId: 1n, sponsor: SPONSOR, amount: 4_000_000n }],
    withdrawals: [
      { ...at(15), depositId: 1n, kind: "announced", withdrawableAt: NOTICE_END },
      { ...at(16), depositId: 2n, kind: "announced", withdrawableAt: NOTICE_END + 1n },
      { ...at(17), depositId: 3n, kind: "announced", withdrawableAt: NOTICE_END },
      { ...at(25), depositId: 2n, kind: "cancelled" },
      { ...at(40), depositId: 1n, kind: "withdrawn", amount: 6_000_000n },
      { ...at(41), depositId: 3n, kind: "withdrawn", amount: 7_000_000n },
    ],
    credited: [],
    collections: [],
    solvency: [{ program: PROGRAM, outstandingValue: 0n, depositsLeft: 5_000_000n }],
  };
}

describe("withdrawals in the fund-flow report", () => {
  it("shows a withdrawn deposit with what went back to the sponsor, and nothing left", () => {
    const report = presentFundFlow(buildFundFlow(input()), 6, new Map([[40, 1_796_000_100]]));
    expect(report.totals).toEqual({ deposited: "15", drawn: "4", fees: "0.02", paidToRetailers: "3.98", withdrawn: "6", left: "5" });
    expect(report.deposits[0]).toMatchObject({ depositId: 1, drawn: "4", withdrawn: "6", left: "0" });
    expect(report.deposits[0]!.withdrawal).toEqual({
      status: "withdrawn",
      withdrawableAt: new Date(Number(NOTICE_END) * 1000).toISOString(),
      announced: { txHash: tx(15), blockNumber: 15 },
      withdrawn: { amount: "6", txHash: tx(40), blockNumber: 40, at: "2026-11-30T00:55:00.000Z" },
    });
    // A cancelled announcement leaves no withdrawal; the other sponsor's withdrawal is not in this report.
    expect(report.deposits[1]).toMatchObject({ depositId: 2, withdrawn: "0", left: "5", withdrawal: null });
    expect(report.deposits).toHaveLength(2);
  });

  it("shows an announced withdrawal as announced at a block before it is withdrawn", () => {
    const report = presentFundFlow(buildFundFlow({ ...input(), toBlock: 30 }), 6);
    expect(report.deposits[0]).toMatchObject({ left: "6", withdrawn: "0", withdrawal: { status: "announced", withdrawn: null } });
    expect(report.deposits[1]!.withdrawal).toBeNull();
    const beforeCancel = presentFundFlow(buildFundFlow({ ...input(), toBlock: 20 }), 6);
    expect(beforeCancel.deposits[1]!.withdrawal).toMatchObject({ status: "announced", withdrawableAt: new Date(Number(NOTICE_END + 1n) * 1000).toISOString() });
  });

  it("asks for the time of the withdrawal's block too", () => {
    expect(moneyBlocks(buildFundFlow(input())).sort((a, b) => a - b)).toEqual([10, 11, 20, 40]);
  });

  it("takes a deposit announced again after a cancel as announced, the last announcement's time", () => {
    const logs: WithdrawalLog[] = [
      { ...at(1), depositId: 1n, kind: "announced", withdrawableAt: 5n },
      { ...at(2), depositId: 1n, kind: "cancelled" },
      { ...at(3), depositId: 1n, kind: "announced", withdrawableAt: 9n },
    ];
    expect(withdrawalOf(logs)).toEqual({ announced: { txHash: tx(3), blockNumber: 3, logIndex: 0 }, withdrawableAt: 9n });
    expect(withdrawalOf(logs.slice(0, 2))).toBeUndefined();
  });

  it("writes a withdrawal row to the CSV, whose amounts add up to totals.withdrawn", () => {
    const report = presentFundFlow(buildFundFlow(input()), 6);
    const [header, ...rows] = fundFlowCsv(report).trim().split("\n").map((line) => line.split(","));
    const withdrawals = rows.filter((r) => r[0] === "withdrawal");
    expect(withdrawals).toEqual([["withdrawal", "1", PROGRAM, "", "", "", "", "", "", "", "", "", "", "6", "", "", "", tx(40), "40", ""]]);
    expect(header).toHaveLength(withdrawals[0]!.length);
  });

  it("has the verifier name a withdrawal the API left out or inflated", () => {
    const honest = () => presentFundFlow(buildFundFlow(input()), 6);
    expect(compareMoney(honest(), honest())).toEqual([]);
    const hidden = honest();
    hidden.deposits[0]!.withdrawal = null;
    expect(compareMoney(honest(), hidden)).toEqual([
      expect.stringMatching(/^deposits\.#1\.withdrawal: chain says \{"status":"withdrawn",.*\}, API says null$/),
    ]);
    const inflated = honest();
    inflated.totals.withdrawn = "7";
    expect(compareMoney(honest(), inflated)).toEqual(['totals.withdrawn: chain says "6", API says "7"']);
  });
});
