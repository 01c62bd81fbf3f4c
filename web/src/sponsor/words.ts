import { language } from "../i18n.js";
import { formatAmount, formatDay, formatMoney } from "../ui/format.js";
import { shortHash } from "../ui/status-steps.js";
import type { Report } from "./flows.js";

/**
 * How the sponsor's page says the report's figures and addresses: money with its unit, grouped as the
 * page's language writes numbers; days as it writes dates; retailers and programs by the names the API
 * gives them (the address when it knows none).
 */
export interface ReportWords {
  money(amount: string): string;
  /** A decimal (kg, tokens) grouped as the language writes numbers, at most `places` decimals. */
  number(amount: string, places: number): string;
  day(at: string | null): string;
  /** The name of a retailer, a program or the sponsor; undefined when the report knows none. */
  nameOf(address: string): string | undefined;
  programName(token: string): string;
}

export function reportWords(report: Report, symbol: string, decimals: number): ReportWords {
  const locale = language.value;
  const names = new Map<string, string>();
  const learn = (address: string, name: string | null) => name && names.set(address.toLowerCase(), name);
  learn(report.sponsor, report.sponsorName);
  for (const d of report.deposits) {
    learn(d.program, d.programName);
    for (const draw of d.draws) learn(draw.retailer, draw.retailerName);
  }
  for (const p of report.programs) learn(p.program, p.name);
  const nameOf = (address: string) => names.get(address.toLowerCase());
  return {
    money: (amount) => formatMoney(amount, symbol, decimals, locale),
    number: (amount, places) => formatAmount(amount, places, locale),
    day: (at) => (at ? formatDay(at, locale) : ""),
    nameOf,
    programName: (token) => nameOf(token) ?? shortHash(token),
  };
}
