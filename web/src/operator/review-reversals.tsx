import { language, t } from "../i18n.js";
import { api } from "../api.js";
import { formatAmount } from "../ui/format.js";
import { PagedTable } from "./paged-table.js";
import { age } from "./review-format.js";
import { usePages } from "./use-pages.js";

/** Reversals of credits, newest first: what was burned back, what the holder had spent, where it stands on chain. */
export function Reversals(props: { memberKey: string; programId: string }) {
  const list = usePages(
    (cursor) =>
      api.reversals({ ...(props.programId ? { programId: props.programId } : {}), ...(cursor ? { cursor } : {}) }, { apiKey: props.memberKey }),
    [props.programId, props.memberKey]
  );
  return (
    <PagedTable
      label={t("operator.review.reversals")}
      list={list}
      empty={t("operator.review.noneReversed")}
      head={[
        "#",
        t("operator.review.event"),
        t("operator.program"),
        t("operator.review.amount"),
        t("operator.review.reversalWhy"),
        t("operator.review.state"),
        t("operator.review.age"),
      ]}
      row={(reversal) => (
        <tr data-reversal={reversal.id}>
          <td>{reversal.id}</td>
          <td>{reversal.eventId}</td>
          <td>{reversal.programId}</td>
          <td>
            {formatAmount(reversal.amount, 18, language.value)}
            {reversal.burned !== null &&
              ` (${t("operator.review.burned", { burned: formatAmount(reversal.burned, 18, language.value), shortfall: formatAmount(reversal.shortfall ?? "0", 18, language.value) })})`}
          </td>
          <td>{reversal.reason}</td>
          <td>
            {t(`operator.review.reversal.${reversal.status}`)}
            {reversal.failureReason && <code> {reversal.failureReason}</code>}
          </td>
          <td>{age(reversal.createdAt, language.value)}</td>
          <td />
        </tr>
      )}
    />
  );
}
