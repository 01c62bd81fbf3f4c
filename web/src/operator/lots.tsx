import { useState } from "preact/hooks";
import type { Lot } from "../../../services/api/client/types.js";
import { api } from "../api.js";
import { t } from "../i18n.js";
import { Card } from "../ui/layout.js";
import { PagedTable } from "./paged-table.js";
import { usePages } from "./use-pages.js";
import { materialName } from "../ui/material.js";

const STATUSES = ["open", "confirming", "confirmed", "cancelled"] as const;
type LotStatus = (typeof STATUSES)[number];

/** Lots by status; an open one can be cancelled, which frees its drop-offs for another lot. */
export function LotsTab(props: { memberKey: string }) {
  const [status, setStatus] = useState<LotStatus>("open");
  const [problem, setProblem] = useState<unknown>();
  const list = usePages(
    (cursor) => api.lots({ status, ...(cursor ? { cursor } : {}) }, { apiKey: props.memberKey }),
    [status, props.memberKey]
  );
  const cancel = async (lot: Lot) => {
    setProblem(undefined);
    try {
      await api.cancelLot(lot.id, { apiKey: props.memberKey });
      await list.reload();
    } catch (error) {
      setProblem(error);
    }
  };
  return (
    <Card title={t("operator.tab.lots")}>
      <label>
        {t("operator.lots.status")}
        <select
          aria-label={t("operator.lots.status")}
          value={status}
          onChange={(e) => setStatus((e.currentTarget as HTMLSelectElement).value as LotStatus)}
        >
          {STATUSES.map((s) => (
            <option value={s}>{t(`operator.lots.${s}`)}</option>
          ))}
        </select>
      </label>
      <PagedTable
        label={t("operator.tab.lots")}
        list={list}
        problem={problem}
        head={["#", t("operator.program"), t("operator.lots.material"), t("operator.lots.dropOffs")]}
        row={(lot) => (
          <tr data-lot={lot.id}>
            <td>{lot.id}</td>
            <td>{lot.programId}</td>
            <td>
              {materialName(lot.material)} {lot.kg} kg
            </td>
            <td>{lot.collectionIds.length}</td>
            <td class="actions">
              {lot.status === "open" && (
                <button type="button" class="secondary" onClick={() => void cancel(lot)}>
                  {t("operator.lots.cancel")}
                </button>
              )}
            </td>
          </tr>
        )}
      />
    </Card>
  );
}
