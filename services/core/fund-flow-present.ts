import { formatDecimal, formatTokenAmount } from "./amounts.js";
import { groupBy, type Credit, type FundFlow, type LogRef } from "./fund-flow.js";

/** The fund-flow report as the API answers it and the verify script rebuilds it: decimal strings, tx refs. */

const sum = (values: bigint[]) => values.reduce((a, b) => a + b, 0n);

/** Collections among credits: a bonus credit adds tokens to its collection, not a collection of its own. */
const collectionCount = (credits: Credit[]) => credits.filter((c) => c.bonusOf === undefined).length;

/** A group of credits (one material, point or week) with the transactions behind it, its bonuses' too. */
function bucket(credits: Credit[], keyOf: (c: Credit) => string) {
  return [...groupBy(credits, keyOf)]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([key, group]) => ({
      key,
      count: collectionCount(group),
      kg: formatDecimal(sum(group.map((c) => c.grams)), 3),
      tokens: formatTokenAmount(sum(group.map((c) => c.tokens))),
      txHashes: [...new Set(group.map((c) => c.txHash))],
    }));
}

/** The blocks whose time the report shows: those of its deposits, draws and withdrawals (when the money moved). */
export const moneyBlocks = (report: FundFlow) => [
  ...new Set(
    report.deposits.flatMap((d) => [
      d.blockNumber,
      ...d.draws.map((draw) => draw.blockNumber),
      ...(d.withdrawal?.withdrawn ? [d.withdrawal.withdrawn.blockNumber] : []),
    ]),
  ),
];

/** Every block whose time the report states: when the money moved, and its first and last blocks (its period). */
export const reportBlocks = (report: FundFlow) => [...new Set([report.fromBlock, report.toBlock, ...moneyBlocks(report)])];

/**
 * Members' and programs' names by lower-case address (the sponsor, retailers, program tokens): what the
 * database knows and the chain does not. A name missing is null, and the address stays the reference.
 */
export type Names = Map<string, string>;

/**
 * The report as JSON: stablecoin amounts in `stableDecimals`, tokens in 18, kg with gram precision; deposits
 * and draws carry their block's time (`blockTimes`: block → unix seconds, see reportBlocks), null if not given,
 * and the period its first and last blocks' times; addresses carry their names from `names`, null if unknown.
 */
export function presentFundFlow(
  report: FundFlow,
  stableDecimals: number,
  blockTimes: Map<number, number> = new Map(),
  names: Names = new Map(),
) {
  const stable = (value: bigint) => formatDecimal(value, stableDecimals);
  const ref = (log: LogRef) => ({ txHash: log.txHash, blockNumber: log.blockNumber });
  const timeOf = (block: number) => {
    const seconds = blockTimes.get(block);
    return seconds === undefined ? null : new Date(seconds * 1000).toISOString();
  };
  const at = (log: LogRef) => ({ at: timeOf(log.blockNumber) });
  const nameOf = (address: string) => names.get(address.toLowerCase()) ?? null;
  const draws = report.deposits.flatMap((d) => d.draws);
  return {
    sponsor: report.sponsor,
    sponsorName: nameOf(report.sponsor),
    fromBlock: report.fromBlock,
    toBlock: report.toBlock,
    period: {
      from: { blockNumber: report.fromBlock, at: timeOf(report.fromBlock) },
      to: { blockNumber: report.toBlock, at: timeOf(report.toBlock) },
    },
    totals: {
      deposited: stable(sum(report.deposits.map((d) => d.amount))),
      drawn: stable(sum(draws.map((d) => d.amount))),
      fees: stable(sum(draws.map((d) => d.fee))),
      paidToRetailers: stable(sum(draws.map((d) => d.amount - d.fee))),
      withdrawn: stable(sum(report.deposits.map((d) => d.withdrawn))),
      left: stable(sum(report.deposits.map((d) => d.left))),
    },
    deposits: report.deposits.map((d) => ({
      depositId: Number(d.depositId),
      program: d.program,
      programName: nameOf(d.program),
      amount: stable(d.amount),
      drawn: stable(d.drawn),
      withdrawn: stable(d.withdrawn),
      left: stable(d.left),
      ...ref(d),
      ...at(d),
      // Announced: redemptions may still draw on it until withdrawableAt; withdrawn: what was left went back.
      withdrawal: d.withdrawal
        ? {
            status: d.withdrawal.withdrawn ? ("withdrawn" as const) : ("announced" as const),
            withdrawableAt: new Date(Number(d.withdrawal.withdrawableAt) * 1000).toISOString(),
            announced: ref(d.withdrawal.announced),
            withdrawn: d.withdrawal.withdrawn
              ? { amount: stable(d.withdrawal.withdrawn.amount), ...ref(d.withdrawal.withdrawn), ...at(d.withdrawal.withdrawn) }
              : null,
          }
        : null,
      draws: d.draws.map((draw) => ({
        redemptionId: Number(draw.redemptionId),
        retailer: draw.retailer,
        retailerName: nameOf(draw.retailer),
        amount: stable(draw.amount),
        fee: stable(draw.fee),
        net: stable(draw.amount - draw.fee),
        ...ref(draw),
        ...at(draw),
      })),
    })),
    programs: report.programs.map((p) => ({
      program: p.program,
      name: nameOf(p.program),
      solvency: p.solvency && {
        outstandingValue: stable(p.solvency.outstandingValue),
        depositsLeft: stable(p.solvency.depositsLeft),
        solvent: p.solvency.depositsLeft >= p.solvency.outstandingValue,
        blockNumber: report.toBlock,
      },
      // Every credit the program minted for a collection, a bonus under its collection (count: drop-offs; kg:
      // their weight, once; tokens: base and bonus). Reversed credits stay in (their Credited logs are on
      // chain), each with its reversal's transaction; `reversed` says how much of the figures was clawed back.
      collections: {
        count: collectionCount(p.credits),
        kg: formatDecimal(sum(p.credits.map((c) => c.grams)), 3),
        tokens: formatTokenAmount(sum(p.credits.map((c) => c.tokens))),
        reversed: (() => {
          const reversed = p.credits.filter((c) => c.reversal !== undefined);
          return {
            count: reversed.length,
            kg: formatDecimal(sum(reversed.map((c) => c.grams)), 3),
            tokens: formatTokenAmount(sum(reversed.map((c) => c.tokens))),
          };
        })(),
        byMaterial: bucket(p.credits, (c) => c.material),
        byPoint: bucket(p.credits, (c) => c.point),
        byWeek: bucket(p.credits, (c) => c.week),
        credits: p.credits.map((c) => ({
          eventId: Number(c.eventId),
          material: c.material,
          point: c.point,
          week: c.week,
          kg: formatDecimal(c.grams, 3),
          tokens: formatTokenAmount(c.tokens),
          bonusOf: c.bonusOf === undefined ? null : Number(c.bonusOf),
          reversal: c.reversal ? { txHash: c.reversal.txHash, blockNumber: c.reversal.blockNumber } : null,
          ...ref(c),
        })),
      },
    })),
  };
}

export type FundFlowReport = ReturnType<typeof presentFundFlow>;
