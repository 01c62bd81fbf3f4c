import { language, t, type MessageKey } from "../i18n.js";
import type { CreditEvent, PublicProgram } from "../../../services/api/client/types.js";
import { formatAmount, formatWeight } from "../ui/format.js";
import { holdReasonWords } from "../ui/hold-reason.js";
import { materialName } from "../ui/material.js";
import { TxHash } from "../ui/status-steps.js";
import { collectorAddress } from "./collector-code.js";

/** A drop-off as the day's list has it: the API's, with the collector's name, or one just recorded, without. */
export type DayItem = CreditEvent & { collectorName?: string | null };

/** The collector in short: the name the point gave, a wallet's last four digits (all of it in the details), or "phone collector". */
export function collectorShort(item: DayItem): string {
  if (item.collectorName) return item.collectorName;
  return collectorAddress(item.beneficiary) ? `…${item.beneficiary.slice(-4)}` : t("point.today.phone");
}

/**
 * One drop-off on one line: time, collector, material, weight, tokens (their symbol is in the totals above) and where
 * its credit stands in a word. A tap opens its details line: the drop-off's number, its tokens exactly, the whole
 * wallet, the block and the transaction, why it is held (in words).
 */
export function DayRow(props: { item: DayItem; program: PublicProgram; timeZone: string | undefined }) {
  const { item } = props;
  // 24-hour time, the narrowest: "16:05" (Indonesian "16.05").
  const time = new Intl.DateTimeFormat(language.value, { hour: "2-digit", minute: "2-digit", hourCycle: "h23", ...(props.timeZone ? { timeZone: props.timeZone } : {}) });
  // Why it is held, in words (its codes are the operator's); why the token refused it, as the chain said.
  const held = item.reasons.length > 0 ? t("hold.why", { reasons: holdReasonWords(item.reasons) }) : null;
  const why = [held, item.failureReason].filter(Boolean).join(", ");
  return (
    <li data-event={item.id}>
      <details class="day-row">
        <summary>
          <span class="day-time">{time.format(new Date(item.createdAt))}</span>
          <span class="day-who">{collectorShort(item)}</span>
          <span class="day-what">
            {materialName(item.material ?? "")} {formatWeight(item.grams ?? 0, language.value)}
          </span>
          <span class="amount-in" title={props.program.symbol}>
            {formatAmount(item.tokens, 2, language.value)}
          </span>
          <span class={`day-status status-${item.status}`} role="status" data-status={item.status}>
            {t(`point.day.status.${item.status}` as MessageKey)}
          </span>
        </summary>
        <p class="day-details muted">
          {t("point.day.number", { id: item.id })} · {t("common.tokens", { amount: item.tokens, symbol: props.program.symbol })}
          {collectorAddress(item.beneficiary) && (
            <>
              {" "}
              · <code>{item.beneficiary}</code>
            </>
          )}
          {item.blockNumber !== null && <> · {t("status.block", { block: item.blockNumber })}</>}
          {item.txHash && (
            <>
              {" "}
              · <TxHash hash={item.txHash} />
            </>
          )}
          {why && <> · {why}</>}
        </p>
      </details>
    </li>
  );
}
