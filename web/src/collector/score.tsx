import { useEffect, useState } from "preact/hooks";
import { language, t } from "../i18n.js";
import { formatCount } from "../ui/format.js";
import { Card, Problem } from "../ui/layout.js";
import type { CreditReport } from "../../../services/api/client/types.js";
import { api } from "../api.js";
import { collectorRead } from "./session.js";
import type { CollectorSigner } from "../wallet/collector-signer.js";

/** A 0..1000 value in three plain levels: what a person needs from it, the number stays for who wants it. */
const level = (value: number) => (value >= 700 ? "high" : value >= 400 ? "middle" : "low");

/**
 * The credit score in plain words: where it stands, and for each thing it is made of, how the collector is
 * doing and what would raise it. The exact figures and the network's signature (a lender can check the
 * statement without asking us) are one tap away.
 */
export function Score(props: { wallet: CollectorSigner }) {
  const [report, setReport] = useState<CreditReport>();
  const [error, setError] = useState<unknown>();
  useEffect(() => {
    collectorRead(props.wallet, (token) => api.creditReport(props.wallet.address, { apiKey: token })).then(setReport, setError);
  }, [props.wallet.address]);
  if (error !== undefined) return <Problem error={error} />;
  if (!report) return <p class="loading">{t("common.loading")}</p>;
  return (
    <Card title={t("collector.score")}>
      <p class="big">{t(`collector.score.level.${level(report.score)}`)}</p>
      <p class="hint">
        {t("collector.score.yours")} <span data-testid="credit-score">{report.score}</span> / 1000
      </p>
      <p>{t("collector.score.meaning")}</p>
      <ul class="list" aria-label={t("collector.score.factors")}>
        {report.factors.map((factor) => (
          <li>
            <span class="row">
              <strong>{t(`collector.score.${factor.name}`)}</strong>
              <span style={{ flex: "none" }}>{t(`collector.score.factor.${level(factor.value)}`)}</span>
            </span>
            <meter min={0} max={1000} low={400} high={700} optimum={1000} value={factor.value} aria-label={t(`collector.score.${factor.name}`)} />
            <span class="hint">{t(`collector.score.${factor.name}.raise`)}</span>
          </li>
        ))}
      </ul>
      <details>
        <summary>{t("collector.score.details")}</summary>
        <ul class="list">
          {report.factors.map((factor) => (
            <li>
              {t(`collector.score.${factor.name}`)}: {formatCount(factor.value, language.value)} / {formatCount(1000, language.value)} · {t("collector.score.weight", { weight: formatCount(factor.weight, language.value) })} · {factor.explanation}
            </li>
          ))}
        </ul>
        <p class="hint">
          {t("collector.score.signed")}
          <code>{report.signer}</code>
        </p>
      </details>
    </Card>
  );
}
