import type { FundFlowReport } from "./fund-flow-present.js";

/**
 * The fund-flow report as one flat CSV table, one row per deposit and one per draw on it:
 *
 *   line          "deposit" or "draw"
 *   deposit_id    the vault's deposit id
 *   program       the program's token address
 *   redemption_id the vault's redemption id (draws only)
 *   retailer      the redeeming retailer (draws only)
 *   amount        stablecoin units: deposited (deposit rows) or drawn from the deposit (draw rows)
 *   fee           the draw's share of the redemption's fee (draws only; see splitFee)
 *   net           amount − fee: what the retailer received from this deposit (draws only)
 *   left          what the deposit still holds at the report's last block (deposit rows only)
 *   tx_hash, block_number  the transaction and block of the Deposited or DepositDrawn log
 *   at            that block's time, ISO 8601 UTC (empty if unknown)
 *
 * Summing `amount` over deposit rows gives totals.deposited, over draw rows totals.drawn; `fee` gives
 * totals.fees, `net` totals.paidToRetailers, `left` totals.left.
 */
export const FUND_FLOW_CSV_COLUMNS = [
  "line",
  "deposit_id",
  "program",
  "redemption_id",
  "retailer",
  "amount",
  "fee",
  "net",
  "left",
  "tx_hash",
  "block_number",
  "at",
] as const;

// Every value is a number, an address, a hash or a decimal: none needs quoting, but a stray comma would
// shift columns, so anything unusual is quoted anyway.
const cell = (value: string | number) => {
  const text = String(value);
  return /^[\w.:-]*$/.test(text) ? text : `"${text.replaceAll('"', '""')}"`;
};

export function fundFlowCsv(report: FundFlowReport): string {
  const rows: (string | number)[][] = [];
  for (const d of report.deposits) {
    rows.push(["deposit", d.depositId, d.program, "", "", d.amount, "", "", d.left, d.txHash, d.blockNumber, d.at ?? ""]);
    for (const draw of d.draws) {
      rows.push(["draw", d.depositId, d.program, draw.redemptionId, draw.retailer, draw.amount, draw.fee, draw.net, "", draw.txHash, draw.blockNumber, draw.at ?? ""]);
    }
  }
  return [FUND_FLOW_CSV_COLUMNS.join(","), ...rows.map((row) => row.map(cell).join(","))].join("\n") + "\n";
}
