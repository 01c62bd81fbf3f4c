import { t } from "../i18n.js";

/** The block balances were read at: for whoever checks them against the chain, one tap away, not in the way. */
export function AsOfBlock(props: { block: number }) {
  return (
    <details class="hint as-of">
      <summary>{t("common.details")}</summary>
      {t("common.asOfBlock", { block: props.block })}
    </details>
  );
}
