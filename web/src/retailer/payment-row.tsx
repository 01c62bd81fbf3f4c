import type { ComponentChildren } from "preact";
import { language } from "../i18n.js";
import { formatMoney } from "../ui/format.js";
import { shortHash, StatusSteps } from "../ui/status-steps.js";
import type { Payment } from "../../../services/api/client/types.js";

/** One payment to the shop: who paid (after `lead`: "From", or when), how much, and where it stands. */
export function PaymentRow(props: { payment: Payment; symbol: string; lead: ComponentChildren }) {
  const p = props.payment;
  return (
    <li data-payment={p.id}>
      <div class="line">
        <span>
          {props.lead} <code title={p.from}>{shortHash(p.from)}</code>
        </span>
        <span class="amount-in">{formatMoney(p.value, props.symbol, 18, language.value)}</span>
      </div>
      <StatusSteps status={p.status} blockNumber={p.blockNumber} txHash={p.txHash} reason={p.failureReason} />
    </li>
  );
}
