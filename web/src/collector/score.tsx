import type { HDNodeWallet } from "ethers";
import { useEffect, useState } from "preact/hooks";
import { t } from "../i18n.js";
import { Card, Problem } from "../ui/layout.js";
import type { CreditReport } from "../../../services/api/client/types.js";
import { api } from "../api.js";
import { collectorRead } from "./session.js";

/**
 * The credit score from the collector's own history, each factor with its weight and why; the statement
 * is signed by the network, so a lender can check it without asking us.
 */
export function Score(props: { wallet: HDNodeWallet }) {
  const [report, setReport] = useState<CreditReport>();
  const [error, setError] = useState<unknown>();
  useEffect(() => {
    collectorRead(props.wallet, (token) => api.creditReport(props.wallet.address, { apiKey: token })).then(setReport, setError);
  }, [props.wallet.address]);
  if (error !== undefined) return <Problem error={error} />;
  if (!report) return <p class="loading">{t("common.loading")}</p>;
  return (
    <Card title={t("collector.score")}>
      <p>
        <span class="big" data-testid="credit-score">
          {report.score}
        </span>{" "}
        <span class="muted">/ 1000</span>
      </p>
      <ul class="list" aria-label={t("collector.score.factors")}>
        {report.factors.map((factor) => (
          <li>
            <span class="row">
              <strong>{t(`collector.score.${factor.name}`)}</strong>
              <span style={{ flex: "none" }}>
                {factor.value} / 1000 · {factor.weight}%
              </span>
            </span>
            <meter min={0} max={1000} value={factor.value} aria-label={t(`collector.score.${factor.name}`)} />
            <span class="hint">{factor.explanation}</span>
          </li>
        ))}
      </ul>
      <p class="hint">
        {t("collector.score.signed")}
        <code>{report.signer}</code>
      </p>
    </Card>
  );
}
