import { formatDecimal, formatTokenAmount, parseDecimal, parseTokenAmount } from "./amounts.js";
import type { CreditedLog } from "./fund-flow.js";
import type { FundFlowReport } from "./fund-flow-present.js";

/**
 * What scripts/verify-fund-flow.ts checks, without I/O: the money part of the API's report against the same
 * report rebuilt from chain logs, and the collections part against the Credited logs of the transactions
 * it names. Each function returns the differences as readable lines; none means the API told the truth.
 */

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/**
 * The part of a report that chain logs and views alone determine: names and the period's dates are the
 * database's and the node's words about it, not figures, and are left out. Arrays become objects keyed by
 * their ids, so one missing deposit shows as one difference instead of shifting every line after it.
 */
export function moneyPart(report: FundFlowReport): Json {
  return {
    sponsor: report.sponsor.toLowerCase(),
    fromBlock: report.fromBlock,
    toBlock: report.toBlock,
    totals: report.totals,
    deposits: Object.fromEntries(
      report.deposits.map(({ programName: _program, ...d }) => [
        `#${d.depositId}`,
        {
          ...d,
          draws: Object.fromEntries(d.draws.map(({ retailerName: _retailer, ...draw }) => [`redemption #${draw.redemptionId}`, { ...draw }])),
        },
      ]),
    ),
    solvency: Object.fromEntries(report.programs.map((p) => [p.program.toLowerCase(), p.solvency ? { ...p.solvency } : null])),
  } as Json;
}

/** Every leaf where `chain` and `api` differ, as `path: chain says …, API says …`. */
export function diffJson(chain: Json | undefined, api: Json | undefined, path = ""): string[] {
  const isObject = (v: Json | undefined): v is { [key: string]: Json } => typeof v === "object" && v !== null && !Array.isArray(v);
  if (isObject(chain) && isObject(api)) {
    const keys = [...new Set([...Object.keys(chain), ...Object.keys(api)])];
    return keys.flatMap((key) => diffJson(chain[key], api[key], path ? `${path}.${key}` : key));
  }
  if (Array.isArray(chain) && Array.isArray(api)) {
    const length = Math.max(chain.length, api.length);
    return Array.from({ length }, (_, i) => diffJson(chain[i], api[i], `${path}[${i}]`)).flat();
  }
  if (JSON.stringify(chain) === JSON.stringify(api)) return [];
  const show = (v: Json | undefined) => (v === undefined ? "nothing" : JSON.stringify(v));
  return [`${path}: chain says ${show(chain)}, API says ${show(api)}`];
}

/** The money part's differences: deposits, draws, fees, withdrawals, what is left, solvency. */
export const compareMoney = (chain: FundFlowReport, api: FundFlowReport) => diffJson(moneyPart(chain), moneyPart(api));

/** A transaction's receipt as the verify script reads it: its block and the Credited logs in it. */
export interface CreditReceipt {
  blockNumber: number;
  credited: CreditedLog[];
}

/**
 * The collections part: each credit the API lists must be a Credited log of its program, with that event id
 * and amount, in the transaction and block it names (`receipts` holds those the node returned, by tx hash);
 * and the totals and the groups by material, point and week must add up to the credits listed.
 */
export function checkCredits(api: FundFlowReport, receipts: Map<string, CreditReceipt>): string[] {
  const problems: string[] = [];
  for (const program of api.programs) {
    const { collections } = program;
    for (const credit of collections.credits) {
      const where = `credit of event ${credit.eventId} (tx ${credit.txHash})`;
      const receipt = receipts.get(credit.txHash.toLowerCase());
      if (!receipt) {
        problems.push(`${where}: no such transaction on chain`);
        continue;
      }
      if (receipt.blockNumber !== credit.blockNumber) {
        problems.push(`${where}: chain says block ${receipt.blockNumber}, API says ${credit.blockNumber}`);
      }
      const log = receipt.credited.find(
        (c) => c.program.toLowerCase() === program.program.toLowerCase() && c.eventId === BigInt(credit.eventId),
      );
      if (!log) problems.push(`${where}: the transaction credits no event ${credit.eventId} in ${program.program}`);
      else if (formatTokenAmount(log.amount) !== credit.tokens) {
        problems.push(`${where}: chain says ${formatTokenAmount(log.amount)} tokens, API says ${credit.tokens}`);
      }
    }
    problems.push(...checkSums(program.program, collections));
  }
  return problems;
}

type Collections = FundFlowReport["programs"][number]["collections"];

/** The groups and totals of one program's collections against the credits it lists. */
function checkSums(program: string, c: Collections): string[] {
  const tokens = (values: string[]) => formatTokenAmount(values.reduce((s, v) => s + parseTokenAmount(v), 0n));
  const kg = (values: string[]) => formatDecimal(values.reduce((s, v) => s + parseDecimal(v, 3), 0n), 3);
  const listedTx = new Set(c.credits.map((credit) => credit.txHash));
  // A bonus credit (bonusOf set) adds tokens to its collection but no count; older reports have no bonusOf.
  const expected = { count: c.credits.filter((x) => x.bonusOf == null).length, kg: kg(c.credits.map((x) => x.kg)), tokens: tokens(c.credits.map((x) => x.tokens)) };
  const problems = diffJson(expected, { count: c.count, kg: c.kg, tokens: c.tokens }, `${program}.collections`);
  const families: [string, Collections["byMaterial"]][] = [["byMaterial", c.byMaterial], ["byPoint", c.byPoint], ["byWeek", c.byWeek]];
  for (const [name, groups] of families) {
    const total = {
      count: groups.reduce((s, g) => s + g.count, 0),
      kg: kg(groups.map((g) => g.kg)),
      tokens: tokens(groups.map((g) => g.tokens)),
    };
    problems.push(...diffJson(expected, total, `${program}.collections.${name} (sum)`));
    for (const g of groups) {
      const unlisted = g.txHashes.filter((tx) => !listedTx.has(tx));
      if (unlisted.length) problems.push(`${program}.collections.${name}.${g.key}: cites unlisted transactions ${unlisted.join(", ")}`);
    }
  }
  return problems;
}
