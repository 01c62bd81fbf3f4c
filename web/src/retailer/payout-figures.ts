import { formatMoney } from "../ui/format.js";

/** Every decimal a stablecoin keeps (18 holds any): the API's figures are exact, so none is cut. */
const PLACES = 18;

/**
 * A payout's gross, fee and net as the shop reads them: each with the currency, as `locale` writes numbers
 * ("2,985 tUSD" in Bahasa, like the balance above it). `null` until the vault has paid it.
 */
export function payoutFigures(payout: { gross: string | null; fee: string | null; net: string | null }, currency: string, locale: string) {
  if (payout.gross === null) return null;
  const money = (amount: string) => formatMoney(amount, currency, PLACES, locale);
  return { gross: money(payout.gross), fee: money(payout.fee ?? "0"), net: money(payout.net ?? "0") };
}
