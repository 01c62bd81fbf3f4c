import { currency } from "../ui/currency.js";
import { language, t } from "../i18n.js";
import { formatAmount, formatMoment, formatMoney } from "../ui/format.js";
import { Card } from "../ui/layout.js";
import { PaymentRow } from "./payment-row.js";
import { type Progress, StatusSteps } from "../ui/status-steps.js";
import type { RetailerOverview } from "../../../services/api/client/types.js";

/** Payments received and payouts, newest first, each with where it stands on chain. */
export function History(props: { overview: RetailerOverview }) {
  const { overview } = props;
  const symbol = (programId: number) => overview.balances.find((b) => b.programId === programId)?.symbol ?? "";
  const when = (at: string) => formatMoment(at, language.value, undefined, "short");
  return (
    <>
      <Card title={t("retailer.payouts")}>
        {overview.redemptions.length === 0 && <p class="muted">{t("retailer.payouts.none")}</p>}
        <ul class="list" aria-label={t("retailer.payouts")}>
          {overview.redemptions.map((r) => (
            <li data-redemption={r.id}>
              <div class="line">
                <span>
                  {when(r.createdAt)} · {formatMoney(r.tokens, symbol(r.programId), 18, language.value)}
                </span>
                {r.net !== null && <span class="amount-in">{formatMoney(r.net, currency.value, 18, language.value)}</span>}
              </div>
              {r.fee !== null && <span class="muted">{t("retailer.payouts.line", { gross: formatAmount(r.gross ?? "0", 18, language.value), fee: formatAmount(r.fee, 18, language.value) })}</span>}
              {/* The overview's schema types a redemption's status as a string (pending → submitted → confirmed, or failed). */}
              <StatusSteps status={r.status as Progress} blockNumber={r.blockNumber} txHash={r.txHash} reason={r.failureReason} />
            </li>
          ))}
        </ul>
      </Card>
      <Card title={t("retailer.payments")}>
        {overview.payments.length === 0 && <p class="muted">{t("retailer.payments.none")}</p>}
        <ul class="list" aria-label={t("retailer.payments")}>
          {overview.payments.map((p) => (
            <PaymentRow payment={p} symbol={symbol(p.programId)} lead={`${when(p.createdAt)} ·`} />
          ))}
        </ul>
      </Card>
    </>
  );
}
