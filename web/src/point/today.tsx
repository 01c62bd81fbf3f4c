import { useEffect } from "preact/hooks";
import { t } from "../i18n.js";
import type { CreditEvent, PublicProgram } from "../../../services/api/client/types.js";
import { MOVING, usePolling } from "../poll.js";
import { Card, Problem } from "../ui/layout.js";
import { DayRow } from "./day-row.js";
import { DayTotals } from "./day-totals.js";
import { KeptRow, keptRowsOf } from "./kept-rows.js";
import { useDayPages } from "./use-day.js";
import type { Outbox } from "./use-outbox.js";

/**
 * Today's drop-offs for the program: the day's totals by material first, then those still kept on this phone,
 * then the API's a page at a time, newest first, one line each with where its minting stands.
 */
export function TodayList(props: { memberKey: string; program: PublicProgram; recorded: CreditEvent[]; outbox: Outbox; onError: (error: unknown) => void }) {
  const pages = useDayPages(props.memberKey, props.program.id, props.onError);
  const { items, day } = pages;
  // A just-recorded drop-off shows at once, even before the list is read again (which it is, for its totals).
  const mine = props.recorded.filter((r) => r.programId === props.program.id && !items?.some((e) => e.id === r.id));
  const shown = [...mine, ...(items ?? [])];
  const kept = keptRowsOf(props.outbox.items, props.program);
  const waiting = kept.some((item) => !item.refused);
  const moving = shown.some((e) => MOVING.has(e.status));
  usePolling(moving, pages.refresh, 2000);
  usePolling(!moving && shown.some((e) => e.status === "held"), pages.refresh, 15000);
  // Read again when a drop-off is recorded: its row takes the API's word, and the totals count it.
  useEffect(() => void (props.recorded.length > 0 && pages.refresh()), [props.recorded]);

  return (
    <Card title={t("point.today")}>
      {pages.problem !== undefined && (
        <>
          <Problem error={pages.problem} />
          <button type="button" class="secondary" disabled={pages.busy} onClick={() => void pages.refresh()}>
            {t("common.retry")}
          </button>
        </>
      )}
      {pages.unreachable && <p class="muted">{t("point.today.unreachable")}</p>}
      {items === undefined && pages.problem === undefined && !pages.unreachable && <p class="loading">{t("common.loading")}</p>}
      {day && <DayTotals day={day} program={props.program} />}
      {items !== undefined && shown.length === 0 && kept.length === 0 && <p class="muted">{t("point.today.none")}</p>}
      {waiting && (
        <div class="line">
          <p class="muted">{t("point.kept.count", { count: kept.filter((item) => !item.refused).length })}</p>
          <button type="button" class="secondary" onClick={() => void props.outbox.sendNow()}>
            {t("point.kept.sendNow")}
          </button>
        </div>
      )}
      <ul class="list day-list" aria-label={t("point.today")}>
        {kept.map((item) => (
          <KeptRow item={item} program={props.program} outbox={props.outbox} />
        ))}
        {shown.map((item) => (
          <DayRow item={item} program={props.program} timeZone={day?.day.timeZone} />
        ))}
      </ul>
      {pages.hasMore && (
        <button type="button" class="secondary" disabled={pages.busy} onClick={() => void pages.more()}>
          {t("point.day.more")}
        </button>
      )}
    </Card>
  );
}
