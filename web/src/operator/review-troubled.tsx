import type { CreditEvent } from "../../../services/api/client/types.js";
import { api } from "../api.js";
import { language, t } from "../i18n.js";
import { PagedTable } from "./paged-table.js";
import { materialName } from "../ui/material.js";
import { useAction } from "../ui/use-action.js";
import { age, eventSummary } from "./review-format.js";
import { usePages } from "./use-pages.js";

/**
 * Events that do not get minted, oldest first: the failed (the token refused them, with its reason), retried
 * once the cause is fixed or rejected; and the stuck (pending or submitted too long), rejected if not on chain.
 */
export function TroubledEvents(props: { state: "failed" | "stuck"; memberKey: string; programId: string; reason: string }) {
  const { busy, problem, run } = useAction();
  const list = usePages(
    async (cursor) => {
      const read = props.state === "failed" ? api.failedEvents : api.stuckEvents;
      // These two routes page by `after` (the last id, oldest first); the table follows it as its cursor.
      const page = await read(
        { ...(props.programId ? { programId: props.programId } : {}), ...(cursor ? { after: cursor } : {}) },
        { apiKey: props.memberKey }
      );
      return { items: page.events, next: page.next === null ? null : String(page.next) };
    },
    [props.state, props.programId, props.memberKey]
  );
  const noReason = props.reason.trim() === "";
  const decide = (event: CreditEvent, retry: boolean) =>
    run(() => (retry ? api.retryEvent : api.rejectEvent)(event.id, props.reason.trim(), { apiKey: props.memberKey }), list.reload);
  const failed = props.state === "failed";
  return (
    <PagedTable
      label={t(failed ? "operator.review.failed" : "operator.review.stuck")}
      list={list}
      problem={problem}
      empty={t(failed ? "operator.review.noneFailed" : "operator.review.noneStuck")}
      head={["#", t("operator.program"), t("operator.review.what"), t("operator.review.why"), t("operator.review.age")]}
      row={(event) => (
        <tr data-event={event.id}>
          <td>{event.id}</td>
          <td>{event.programId}</td>
          <td>{eventSummary(event, materialName)}</td>
          <td>
            {failed ? (
              <>
                <code>{event.failureCode}</code> {event.failureReason}
              </>
            ) : (
              t(`operator.review.status.${event.status === "submitted" ? "submitted" : "pending"}`)
            )}
          </td>
          <td>{age(event.failedAt ?? event.createdAt, language.value)}</td>
          <td class="actions">
            {failed && (
              <button type="button" disabled={busy || noReason} onClick={() => void decide(event, true)}>
                {t("operator.review.retry")}
              </button>
            )}
            <button type="button" class="secondary" disabled={busy || noReason} onClick={() => void decide(event, false)}>
              {t("operator.review.reject")}
            </button>
          </td>
        </tr>
      )}
    />
  );
}
