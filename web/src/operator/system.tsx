import { useEffect, useState } from "preact/hooks";
import type { SystemFigures } from "../../../services/api/client/types.js";
import { api } from "../api.js";
import { language, t } from "../i18n.js";
import { Card, Problem } from "../ui/layout.js";
import { formatAmount, formatClock, shortAddress } from "../ui/format.js";

/** The API reads its figures at most every 5 s (plugins/system-figures.ts): refreshing faster shows nothing new. */
const REFRESH_MS = 5_000;

/** "45 s", "12 min", "3 h": how long something has waited, as a person says it. */
function age(seconds: number): string {
  if (seconds < 90) return t("operator.system.seconds", { n: Math.round(seconds) });
  if (seconds < 5_400) return t("operator.system.minutes", { n: Math.round(seconds / 60) });
  return t("operator.system.hours", { n: Math.round(seconds / 3_600) });
}

/** A line of plain words with its figure, marked for whoever reads it (a person, a test). */
function Figure(props: { name: string; value: number; text: string; warn?: boolean }) {
  return (
    <p data-figure={props.name} data-value={props.value} class={props.warn ? "warn" : ""}>
      {props.text}
    </p>
  );
}

/** The network's health as /metrics has it: queues, outboxes, the indexer, the signers' gas, failed webhooks. */
export function SystemTab(props: { memberKey: string }) {
  const [figures, setFigures] = useState<SystemFigures>();
  const [readAt, setReadAt] = useState<Date>();
  const [problem, setProblem] = useState<unknown>();
  const read = async () => {
    try {
      setFigures(await api.system({ apiKey: props.memberKey }));
      setReadAt(new Date());
      setProblem(undefined);
    } catch (error) {
      setProblem(error);
    }
  };
  useEffect(() => {
    void read();
    const timer = setInterval(() => void read(), REFRESH_MS);
    return () => clearInterval(timer);
  }, [props.memberKey]);

  return (
    <Card title={t("operator.tab.system")}>
      {problem !== undefined && <Problem error={problem} />}
      {figures === undefined ? (
        <p class="loading">{t("common.loading")}</p>
      ) : (
        <>
          <p class="muted" role="status">
            {t("operator.system.readAt", { time: readAt ? formatClock(readAt, language.value) : "", seconds: REFRESH_MS / 1000 })}
          </p>
          <h3>{t("operator.system.queues")}</h3>
          <table aria-label={t("operator.system.queues")}>
            <thead>
              <tr>
                <th>{t("operator.system.queue")}</th>
                <th>{t("operator.system.waiting")}</th>
                <th>{t("operator.system.active")}</th>
                <th>{t("operator.system.delayed")}</th>
                <th>{t("operator.system.failed")}</th>
              </tr>
            </thead>
            <tbody>
              {figures.queues.map((queue) => (
                <tr data-queue={queue.name}>
                  <td>{t(`operator.system.queue.${queue.name as "payments" | "redemptions" | "webhooks"}`)}</td>
                  <td data-state="waiting" data-label={t("operator.system.waiting")}>
                    {queue.waiting}
                  </td>
                  <td data-state="active" data-label={t("operator.system.active")}>
                    {queue.active}
                  </td>
                  <td data-state="delayed" data-label={t("operator.system.delayed")}>
                    {queue.delayed}
                  </td>
                  <td
                    data-state="failed"
                    data-label={t("operator.system.failed")}
                    class={queue.failed > 0 ? "warn" : ""}
                  >
                    {queue.failed}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>

          <h3>{t("operator.system.minting")}</h3>
          {figures.mintOutbox === null ? (
            <p>{t("operator.system.unknown")}</p>
          ) : (
            <>
              <Figure
                name="mint-waiting"
                value={figures.mintOutbox.pending + figures.mintOutbox.submitted}
                text={
                  figures.mintOutbox.pending + figures.mintOutbox.submitted === 0
                    ? t("operator.system.mintNone")
                    : t("operator.system.mintWaiting", {
                        n: figures.mintOutbox.pending + figures.mintOutbox.submitted,
                        age: age(figures.mintOutbox.oldestAgeSeconds),
                      })
                }
              />
              <Figure
                name="mint-held"
                value={figures.mintOutbox.held}
                text={t("operator.system.mintHeld", { n: figures.mintOutbox.held })}
              />
              <Figure
                name="mint-failed"
                value={figures.mintOutbox.failed}
                warn={figures.mintOutbox.failed > 0}
                text={t("operator.system.mintFailed", { n: figures.mintOutbox.failed })}
              />
            </>
          )}

          <h3>{t("operator.system.indexer")}</h3>
          {figures.indexer === null ? (
            <p>{t("operator.system.unknown")}</p>
          ) : (
            <Figure
              name="indexer-lag"
              value={figures.indexer.lagBlocks}
              text={
                t("operator.system.indexerLag", { n: figures.indexer.lagBlocks, head: figures.indexer.headBlock }) +
                " " +
                (figures.indexer.checkpointAgeSeconds === null
                  ? t("operator.system.indexerNever")
                  : t("operator.system.indexerMoved", { age: age(figures.indexer.checkpointAgeSeconds) }))
              }
            />
          )}

          <h3>{t("operator.system.webhooks")}</h3>
          {figures.webhooks === null ? (
            <p>{t("operator.system.unknown")}</p>
          ) : (
            <>
              <Figure
                name="webhooks-waiting"
                value={figures.webhooks.undispatched}
                text={
                  figures.webhooks.undispatched === 0
                    ? t("operator.system.webhooksNone")
                    : t("operator.system.webhooksWaiting", {
                        n: figures.webhooks.undispatched,
                        age: age(figures.webhooks.oldestAgeSeconds),
                      })
                }
              />
              <Figure
                name="webhooks-failed"
                value={figures.webhooks.recentFailures}
                warn={figures.webhooks.recentFailures > 0}
                text={t("operator.system.webhooksFailed", {
                  n: figures.webhooks.recentFailures,
                  minutes: figures.webhooks.windowMinutes,
                })}
              />
            </>
          )}

          <h3>{t("operator.system.signers")}</h3>
          <table aria-label={t("operator.system.signers")}>
            <thead>
              <tr>
                <th>{t("operator.system.signer")}</th>
                <th>{t("operator.system.address")}</th>
                <th>{t("operator.system.balance")}</th>
                <th />
              </tr>
            </thead>
            <tbody>
              {figures.signers.map((signer) => (
                <tr data-signer={signer.role} data-address={signer.address} class={signer.low ? "warn" : ""}>
                  <td>{t(`operator.system.signer.${signer.role}`)}</td>
                  <td title={signer.address}>{shortAddress(signer.address)}</td>
                  <td data-balance={signer.balanceEth ?? ""} data-label={t("operator.system.balance")}>
                    {signer.balanceEth === null
                      ? t("operator.system.unknown")
                      : `${formatAmount(String(signer.balanceEth), 4, language.value)} ETH`}
                  </td>
                  <td>
                    {signer.low === null
                      ? t("operator.system.lowElsewhere")
                      : signer.low
                      ? t("operator.system.low")
                      : t("operator.system.enough")}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          <button type="button" class="secondary" onClick={() => void read()}>
            {t("operator.system.refresh")}
          </button>
        </>
      )}
    </Card>
  );
}
