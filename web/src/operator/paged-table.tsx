import type { ComponentChildren } from "preact";
import { t } from "../i18n.js";
import { Problem } from "../ui/layout.js";
import type { Pages } from "./use-pages.js";

/**
 * A list route's pages as a table: its problem (or the last action's), loading, nothing, the rows (each a
 * `<tr>` from `row`), and "Show more" while there is a next page.
 */
export function PagedTable<T>(props: {
  label: string;
  list: Pages<T>;
  problem?: unknown;
  empty?: string;
  head: string[];
  row: (item: T) => ComponentChildren;
}) {
  const { list } = props;
  const problem = props.problem ?? list.problem;
  return (
    <>
      {problem !== undefined && <Problem error={problem} />}
      {list.items === undefined ? (
        <p class="loading">{t("common.loading")}</p>
      ) : list.items.length === 0 ? (
        <p>{props.empty ?? t("operator.none")}</p>
      ) : (
        <table aria-label={props.label}>
          <thead>
            <tr>
              {props.head.map((name) => (
                <th>{name}</th>
              ))}
              <th />
            </tr>
          </thead>
          <tbody>{list.items.map(props.row)}</tbody>
        </table>
      )}
      {list.hasMore && (
        <button type="button" class="secondary" disabled={list.busy} onClick={() => void list.more()}>
          {t("operator.more")}
        </button>
      )}
    </>
  );
}
