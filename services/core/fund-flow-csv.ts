import { formatDecimal, formatTokenAmount, parseDecimal, parseTokenAmount } from "./amounts.js";
import { groupBy } from "./fund-flow.js";
import type { FundFlowReport } from "./fund-flow-present.js";

/**
 * The fund-flow report as one flat CSV table: one row per deposit, one per draw on it and one per withdrawal
 * (the money), then the collections the funded programs credited (what the money bought):
 *
 *   line          "deposit", "draw", "withdrawal" (what was left went back to the sponsor), "collection"
 *                 (drop-offs credited and standing) or "reversal" (credits later clawed back)
 *   deposit_id    the vault's deposit id (money rows)
 *   program       the program's token address
 *   program_name  the program's name (empty if the network knows none)
 *   redemption_id the vault's redemption id (draws only)
 *   retailer      the redeeming retailer's address (draws only)
 *   retailer_name its member's name (draws only; empty if unknown)
 *   material, point, week  a group of collections: one material, at one collection point, in one ISO week
 *                 (2026-W48) of the drop-off (collection and reversal rows)
 *   collections   how many drop-offs the group holds (a delayed bonus adds tokens to its drop-off, no count)
 *   kg            their weight, gram precision
 *   tokens        the tokens credited for them, bonuses included
 *   amount        stablecoin units: deposited (deposit rows), drawn from the deposit (draw rows) or paid back
 *                 to the sponsor (withdrawal rows)
 *   fee           the draw's share of the redemption's fee (draws only; see splitFee)
 *   net           amount − fee: what the retailer received from this deposit (draws only)
 *   left          what the deposit still holds at the report's last block (deposit rows only)
 *   tx_hash, block_number  the transaction and block of the Deposited, DepositDrawn or Withdrawn log (a group of
 *                 collections has many: the API's JSON lists each credit's)
 *   at            that block's time, ISO 8601 UTC (empty if unknown)
 *
 * Summing `amount` over deposit rows gives totals.deposited, over draw rows totals.drawn, over withdrawal
 * rows totals.withdrawn; `fee` gives totals.fees, `net` totals.paidToRetailers, `left` totals.left. A
 * program's collection and reversal rows together add up to its collections' count, kg and tokens; its
 * reversal rows alone to collections.reversed.
 */
export const FUND_FLOW_CSV_COLUMNS = [
  "line",
  "deposit_id",
  "program",
  "program_name",
  "redemption_id",
  "retailer",
  "retailer_name",
  "material",
  "point",
  "week",
  "collections",
  "kg",
  "tokens",
  "amount",
  "fee",
  "net",
  "left",
  "tx_hash",
  "block_number",
  "at",
] as const;

type Column = (typeof FUND_FLOW_CSV_COLUMNS)[number];
type Row = Partial<Record<Column, string | number | null>>;

// Names (of members, programs, points) are people's words: anything beyond letters, digits, spaces and . : - is
// quoted (a comma would shift the columns), and a leading =, +, - or @ is disarmed so a spreadsheet never runs a
// name as a formula.
const cell = (value: string | number | null | undefined) => {
  const text = value === null || value === undefined ? "" : String(value);
  if (/^[\w .:-]*$/.test(text) && !/^-\D/.test(text)) return text;
  const safe = /^[=+\-@]/.test(text) ? `'${text}` : text;
  return `"${safe.replaceAll('"', '""')}"`;
};

type Credit = FundFlowReport["programs"][number]["collections"]["credits"][number];

/** One row per material, point and week of these credits, in that order. */
function collectionRows(line: "collection" | "reversal", program: FundFlowReport["programs"][number], credits: Credit[]): Row[] {
  const groups = groupBy(credits, (c) => JSON.stringify([c.material, c.point, c.week]));
  return [...groups.keys()].sort().map((key) => {
    const group = groups.get(key)!;
    const { material, point, week } = group[0]!;
    return {
      line,
      program: program.program,
      program_name: program.name,
      material,
      point,
      week,
      collections: group.filter((c) => c.bonusOf === null).length,
      kg: formatDecimal(group.reduce((sum, c) => sum + parseDecimal(c.kg, 3), 0n), 3),
      tokens: formatTokenAmount(group.reduce((sum, c) => sum + parseTokenAmount(c.tokens), 0n)),
    };
  });
}

export function fundFlowCsv(report: FundFlowReport): string {
  const rows: Row[] = [];
  for (const d of report.deposits) {
    const money = { deposit_id: d.depositId, program: d.program, program_name: d.programName };
    rows.push({ line: "deposit", ...money, amount: d.amount, left: d.left, tx_hash: d.txHash, block_number: d.blockNumber, at: d.at });
    for (const draw of d.draws) {
      rows.push({
        line: "draw",
        ...money,
        redemption_id: draw.redemptionId,
        retailer: draw.retailer,
        retailer_name: draw.retailerName,
        amount: draw.amount,
        fee: draw.fee,
        net: draw.net,
        tx_hash: draw.txHash,
        block_number: draw.blockNumber,
        at: draw.at,
      });
    }
    const paid = d.withdrawal?.withdrawn;
    if (paid) rows.push({ line: "withdrawal", ...money, amount: paid.amount, tx_hash: paid.txHash, block_number: paid.blockNumber, at: paid.at });
  }
  for (const program of report.programs) {
    const { credits } = program.collections;
    rows.push(...collectionRows("collection", program, credits.filter((c) => c.reversal === null)));
    rows.push(...collectionRows("reversal", program, credits.filter((c) => c.reversal !== null)));
  }
  const lines = rows.map((row) => FUND_FLOW_CSV_COLUMNS.map((column) => cell(row[column])).join(","));
  return [FUND_FLOW_CSV_COLUMNS.join(","), ...lines].join("\n") + "\n";
}
