import { useState } from "preact/hooks";
import type { BulkReviewAnswer, CreditEvent } from "../../../services/api/client/types.js";
import { api } from "../api.js";
import { language, t } from "../i18n.js";
import { PagedTable } from "./paged-table.js";
import { materialName } from "../ui/material.js";
import { useAction } from "../ui/use-action.js";
import { age, eventSummary } from "./review-format.js";
import { usePages } from "./use-pages.js";

/** The most ids the API decides at once (POST /v1/events/review). */
const MAX_BULK = 200;

/**
 * The held events of the review queue: each decided on its own, or a selection (up to a page, or all shown)
 * decided in one request with the reason, and what became of each id shown after.
 */
export function HeldEvents(props: { memberKey: string; programId: string; reason: string }) {
  const [selected, setSelected] = useState<ReadonlySet<number>>(new Set());
  const [answer, setAnswer] = useState<BulkReviewAnswer>();
  const { busy, problem, run } = useAction();
  const list = usePages(
    (cursor) =>
      api.events(
        { status: "held", ...(props.programId ? { programId: props.programId } : {}), ...(cursor ? { cursor } : {}) },
        { apiKey: props.memberKey }
      ),
    [props.programId, props.memberKey]
  );
  const shown = list.items ?? [];
  const allSelected = shown.length > 0 && shown.every((event) => selected.has(event.id));
  const noReason = props.reason.trim() === "";
  const toggle = (event: CreditEvent, on: boolean) => {
    const next = new Set(selected);
    if (on) next.add(event.id);
    else next.delete(event.id);
    setSelected(next);
  };
  const act = (work: () => Promise<void>) => run(work, list.reload);
  const decideOne = (event: CreditEvent, approve: boolean) =>
    act(async () => {
      setAnswer(undefined);
      toggle(event, false);
      await (approve ? api.approveEvent : api.rejectEvent)(event.id, props.reason.trim(), { apiKey: props.memberKey });
    });
  const decideSelected = (action: "approve" | "reject") =>
    act(async () => {
      setAnswer(await api.reviewEvents({ action, ids: [...selected], reason: props.reason.trim() }, { apiKey: props.memberKey }));
      setSelected(new Set());
    });
  return (
    <>
      <div class="bulk" hidden={shown.length === 0 && selected.size === 0}>
        <label class="check">
          <input
            type="checkbox"
            checked={allSelected}
            disabled={shown.length === 0}
            onChange={(e) => setSelected(new Set((e.currentTarget as HTMLInputElement).checked ? shown.map((event) => event.id) : []))}
          />
          {t("operator.review.selectAll")}
        </label>
        <span>{t("operator.review.selected", { count: selected.size })}</span>
        <button type="button" disabled={busy || noReason || selected.size === 0 || selected.size > MAX_BULK} onClick={() => void decideSelected("approve")}>
          {t("operator.review.approveSelected")}
        </button>
        <button
          type="button"
          class="secondary"
          disabled={busy || noReason || selected.size === 0 || selected.size > MAX_BULK}
          onClick={() => void decideSelected("reject")}
        >
          {t("operator.review.rejectSelected")}
        </button>
        {selected.size > MAX_BULK && <p class="hint">{t("operator.review.tooMany", { max: MAX_BULK })}</p>}
      </div>
      {answer && (
        <ul class="results" aria-label={t("operator.review.results")}>
          {answer.results.map((result) => (
            <li data-event={result.id} class={result.outcome}>
              #{result.id}: {t(`operator.review.outcome.${result.outcome}`)}
              {result.message && ` (${result.message})`}
            </li>
          ))}
        </ul>
      )}
      <PagedTable
        label={t("operator.review.held")}
        list={list}
        problem={problem}
        empty={t("operator.review.empty")}
        head={["", "#", t("operator.program"), t("operator.review.what"), t("operator.review.why"), t("operator.review.age")]}
        row={(event) => (
          <tr data-event={event.id}>
            <td>
              <input
                type="checkbox"
                aria-label={t("operator.review.select", { id: event.id })}
                checked={selected.has(event.id)}
                onChange={(e) => toggle(event, (e.currentTarget as HTMLInputElement).checked)}
              />
            </td>
            <td>{event.id}</td>
            <td>{event.programId}</td>
            <td>{eventSummary(event, materialName)}</td>
            <td>
              {event.reasons.join(", ")}
              {event.evidenceHash && (
                <code class="evidence" title={t("operator.review.evidence")}>
                  {" "}
                  {event.evidenceHash}
                </code>
              )}
            </td>
            <td>{age(event.createdAt, language.value)}</td>
            <td class="actions">
              <button type="button" disabled={busy || noReason} onClick={() => void decideOne(event, true)}>
                {t("operator.review.approve")}
              </button>
              <button type="button" class="secondary" disabled={busy || noReason} onClick={() => void decideOne(event, false)}>
                {t("operator.review.reject")}
              </button>
            </td>
          </tr>
        )}
      />
    </>
  );
}
