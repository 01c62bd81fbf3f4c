import { api } from "../api.js";
import type { Report } from "./flows.js";

/**
 * The same report as the flat CSV table the API writes (services/core/fund-flow-csv.ts), over the blocks
 * on screen, saved through an <a download>: a file the sponsor's spreadsheet opens.
 */
export async function downloadCsv(key: string, report: Report): Promise<string> {
  const csv = await api.fundFlowCsv({ from: String(report.fromBlock), to: String(report.toBlock) }, { apiKey: key });
  const blob = new Blob([csv], { type: "text/csv" });
  const name = `fund-flow-${report.sponsor.slice(0, 10)}-${report.fromBlock}-${report.toBlock}.csv`;
  const url = URL.createObjectURL(blob);
  const link = document.createElement("a");
  link.href = url;
  link.download = name;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
  return name;
}
