import { formatUnits, parseUnits } from "ethers";
import { currency } from "../ui/currency.js";
import { formatDay, formatMoney } from "../ui/format.js";
import { language, t } from "../i18n.js";
import { Card } from "../ui/layout.js";
import type { RetailerOverview } from "../../../services/api/client/types.js";
import { useStableBalance } from "./stable-balance.js";

/**
 * The shop's money: the stablecoin it holds (from the chain) and what its redemptions paid out, the latest
 * payouts listed. Tokens are what collectors pay with; this is what the shop can spend.
 */
export function Money(props: { address: string; overview: RetailerOverview }) {
  const paid = props.overview.redemptions.filter((r) => r.status === "confirmed" && r.net !== null);
  // A settled payout moves the balance: read it again then.
  const balance = useStableBalance(props.address, paid.map((r) => r.id).join(","));
  // Summed as exact decimals (18 places hold any stablecoin's), never through a float.
  const total = formatUnits(paid.reduce((sum, r) => sum + parseUnits(r.net!, 18), 0n), 18);
  const money = (amount: string) => formatMoney(amount, currency.value, 18, language.value);
  return (
    <Card title={t("retailer.myMoney")}>
      <p>
        <span class="big" data-testid="stable-balance">
          {balance === undefined ? "…" : balance === null ? "—" : money(balance)}
        </span>
      </p>
      <p class="hint">{balance === null ? t("retailer.myMoney.offline") : t("retailer.myMoney.hint")}</p>
      <p data-testid="paid-out">{t("retailer.myMoney.paidOut", { money: money(total) })}</p>
      {paid.length > 0 && (
        <ul class="list" aria-label={t("retailer.myMoney.latest")}>
          {paid.slice(0, 3).map((r) => (
            <li class="line">
              <span>{formatDay(r.createdAt, language.value, "local")}</span>
              <strong class="amount-in">+{money(r.net!)}</strong>
            </li>
          ))}
        </ul>
      )}
    </Card>
  );
}
