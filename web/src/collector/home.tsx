import { language, t, type MessageKey } from "../i18n.js";
import { formatAmount, formatMoment, formatWeight } from "../ui/format.js";
import { holdReasonWords } from "../ui/hold-reason.js";
import { Card, Problem } from "../ui/layout.js";
import { QrCode } from "../ui/qr-code.js";
import { StatusSteps } from "../ui/status-steps.js";
import type { HistoryItem } from "../../../services/api/client/types.js";
import { knownShopName } from "./shop-name.js";
import { useLedger } from "./use-ledger.js";
import { materialName } from "../ui/material.js";
import { AsOfBlock } from "../ui/as-of-block.js";
import type { CollectorSigner } from "../wallet/collector-signer.js";
import { AddPhone } from "./other-phone.js";
import { AddRecoveryPhrase } from "./recovery-phrase.js";

/** Balances first (what a collector checks), the code to show at the point, then the history. */
export function Home(props: { wallet: CollectorSigner }) {
  const { ledger, error } = useLedger(props.wallet);
  const symbols = new Map(ledger?.balances.map((b) => [b.programId, b.symbol]));
  return (
    <>
      <Card title={t("collector.balances")}>
        {error !== undefined && <Problem error={error} />}
        {!ledger && error === undefined && <p class="loading">{t("common.loading")}</p>}
        {ledger?.updating && <p class="hint" role="status">{t("collector.balances.updating")}</p>}
        {ledger && !ledger.updating && ledger.balances.length === 0 && <p class="muted">{t("collector.balances.none")}</p>}
        <ul class="list" aria-label={t("collector.balances")}>
          {ledger?.balances.map((balance) => (
            <li data-program={balance.programId}>
              <span class="big">{formatAmount(balance.balance, 2, language.value)}</span>
              <span>
                {balance.symbol} · {balance.name}
              </span>
            </li>
          ))}
        </ul>
        {ledger?.balancesBlock != null && <AsOfBlock block={ledger.balancesBlock} />}
      </Card>
      <Card title={t("collector.myCode")}>
        <p class="hint">{t("collector.myCode.hint")}</p>
        <QrCode text={`ethereum:${props.wallet.address}`} label={t("collector.myCode")} />
        <p>
          <code data-testid="collector-address">{props.wallet.address}</code>
        </p>
      </Card>
      {props.wallet.passkey && <AddPhone wallet={props.wallet.passkey} />}
      {props.wallet.passkey && <AddRecoveryPhrase wallet={props.wallet.passkey} />}
      <Card title={t("collector.history")}>
        {ledger && ledger.history.length === 0 && <p class="muted">{t("collector.history.none")}</p>}
        <ul class="list" aria-label={t("collector.history")}>
          {ledger?.history.map((item) => (
            <HistoryRow item={item} symbol={symbols.get(item.programId) ?? ""} />
          ))}
        </ul>
      </Card>
    </>
  );
}

function HistoryRow(props: { item: HistoryItem; symbol: string }) {
  const { item } = props;
  const sign = item.direction === "in" ? "+" : "−";
  return (
    <li data-reason={item.reason}>
      <span class="row">
        <span>{describe(item)}</span>
        <span class={item.direction === "in" ? "amount-in" : "amount-out"} style={{ flex: "none" }}>
          {sign}
          {formatAmount(item.amount, 2, language.value)} {props.symbol}
        </span>
      </span>
      <span class="hint">{formatMoment(item.at, language.value)}</span>
      <StatusSteps status={item.status} blockNumber={item.blockNumber} txHash={item.txHash} reason={item.failureReason ?? null} note={item.note ?? heldWhy(item)} />
    </li>
  );
}

/** Why a credit waits for review, in words: the collector is told, not shown a code. */
const heldWhy = (item: HistoryItem) => (item.status === "held" && item.holdReasons.length > 0 ? holdReasonWords(item.holdReasons) : null);

/** The reason code in words, with the drop-off's weight and material, or the shop by its name, where there is one. */
function describe(item: HistoryItem): string {
  const key = `collector.reason.${item.reason}` as MessageKey;
  const text = t(key, { weight: item.grams === undefined ? "" : formatWeight(item.grams, language.value), material: item.material === undefined ? "" : materialName(item.material), counterparty: item.counterparty ? (knownShopName(item.counterparty) ?? shorten(item.counterparty)) : "" });
  return text === key ? item.reason : text;
}

const shorten = (address: string) => `${address.slice(0, 6)}…${address.slice(-4)}`;
