import { useEffect, useState } from "preact/hooks";
import { api } from "../api.js";
import { language, t } from "../i18n.js";
import type { CreditEvent, PublicProgram } from "../../../services/api/client/types.js";
import { MOVING, usePolling } from "../poll.js";
import { Card, Problem } from "../ui/layout.js";
import { shortHash, StatusSteps } from "../ui/status-steps.js";
import { collectorAddress, localMidnight } from "./collector-code.js";
import { grams } from "./drop-off.js";

/** Today's drop-offs for the program, newest first, each with where its minting stands. */
export function TodayList(props: { memberKey: string; program: PublicProgram; recorded: CreditEvent[]; onError: (error: unknown) => void }) {
  const [events, setEvents] = useState<CreditEvent[]>();
  const [problem, setProblem] = useState<unknown>();
  const refresh = async () => {
    try {
      setEvents(await api.collections({ programId: String(props.program.id), since: localMidnight(), limit: "200" }, { apiKey: props.memberKey }));
      setProblem(undefined);
    } catch (error) {
      setProblem(error);
      props.onError(error);
    }
  };
  useEffect(() => void refresh(), [props.program.id, props.recorded]);

  // A just-recorded drop-off shows at once, even before the list is read again.
  const shown = [...props.recorded.filter((r) => !events?.some((e) => e.id === r.id)), ...(events ?? [])];
  const moving = shown.some((e) => MOVING.has(e.status));
  usePolling(moving, refresh, 2000);
  usePolling(!moving && shown.some((e) => e.status === "held"), refresh, 15000);

  const totalGrams = shown.reduce((sum, e) => sum + (e.grams ?? 0), 0);
  const time = new Intl.DateTimeFormat(language.value, { hour: "2-digit", minute: "2-digit" });
  return (
    <Card title={t("point.today")}>
      {problem !== undefined && <Problem error={problem} />}
      {events === undefined && problem === undefined && <p class="loading">{t("common.loading")}</p>}
      {events !== undefined && shown.length === 0 && <p class="muted">{t("point.today.none")}</p>}
      {shown.length > 0 && <p class="muted">{t("point.today.total", { count: shown.length, grams: grams(totalGrams) })}</p>}
      <ul class="list" aria-label={t("point.today")}>
        {shown.map((e) => (
          <li data-event={e.id}>
            <div class="line">
              <span>
                {time.format(new Date(e.createdAt))} · {e.material} · {grams(e.grams ?? 0)} g
              </span>
              <span class="amount-in">{t("common.tokens", { amount: e.tokens, symbol: props.program.symbol })}</span>
            </div>
            <code class="muted" title={e.beneficiary}>
              {collectorAddress(e.beneficiary) ? shortHash(e.beneficiary) : t("point.today.phone")}
            </code>
            <StatusSteps status={e.status} blockNumber={e.blockNumber} txHash={e.txHash} reason={e.reasons.join(", ") || null} />
          </li>
        ))}
      </ul>
    </Card>
  );
}
