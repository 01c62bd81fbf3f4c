import { ApiError } from "../api.js";
import type { Report } from "./flows.js";

/**
 * The same report as the flat CSV table the API writes (services/core/fund-flow-csv.ts), over the blocks
 * on screen, saved through an <a download>: a file the sponsor's spreadsheet opens.
 */
export async function downloadCsv(key: string, report: Report): Promise<string> {
  const query = new URLSearchParams({ from: String(report.fromBlock), to: String(report.toBlock) });
  const response = await fetch(`/v1/sponsors/me/fund-flow?${query}`, { headers: { accept: "text/csv", authorization: `Bearer ${key}` } });
  if (!response.ok) {
    const failure = (await response.json().catch(() => undefined)) as { error?: { code?: string; message?: string } } | undefined;
    throw new ApiError(response.status, failure?.error?.code ?? `HTTP_${response.status}`, failure?.error?.message ?? response.statusText);
  }
  const blob = await response.blob();
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
