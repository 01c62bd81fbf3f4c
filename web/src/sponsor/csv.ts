import { api } from "../api.js";
import { saveFile } from "../ui/save-file.js";
import type { Report } from "./flows.js";

/**
 * The same report as the flat CSV table the API writes (services/core/fund-flow-csv.ts), over the blocks
 * on screen, saved as a file the sponsor's spreadsheet opens.
 */
export async function downloadCsv(key: string, report: Report): Promise<string> {
  const csv = await api.fundFlowCsv({ from: String(report.fromBlock), to: String(report.toBlock) }, { apiKey: key });
  const name = `fund-flow-${report.sponsor.slice(0, 10)}-${report.fromBlock}-${report.toBlock}.csv`;
  saveFile(name, csv);
  return name;
}
