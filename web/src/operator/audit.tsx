import { useState } from "preact/hooks";
import type { AuditEntry } from "../../../services/api/client/types.js";
import { api } from "../api.js";
import { language, t } from "../i18n.js";
import { formatMoment } from "../ui/format.js";
import { Card } from "../ui/layout.js";
import { saveFile } from "../ui/save-file.js";
import { PagedTable } from "./paged-table.js";
import { usePages } from "./use-pages.js";

type Filters = { action: string; subject: string; actorId: string };
const NONE: Filters = { action: "", subject: "", actorId: "" };

/** The filters the API takes, the empty ones left out. */
const queryOf = (filters: Filters) => ({
  ...(filters.action ? { action: filters.action } : {}),
  ...(filters.subject ? { subject: filters.subject } : {}),
  ...(filters.actorId ? { actorId: filters.actorId } : {}),
});

const show = (value: unknown) => (typeof value === "string" ? value : JSON.stringify(value));

/** What changed, field by field ("active: true → false"); a state only before or only after, field by field as it was. */
function change(entry: AuditEntry): string {
  const { before, after } = entry;
  if (before === null && after === null) return "";
  if (before === null || after === null) {
    return Object.entries((before ?? after)!)
      .map(([key, value]) => `${key}: ${show(value)}`)
      .join("; ");
  }
  return Object.keys({ ...before, ...after })
    .filter((key) => show(before[key]) !== show(after[key]))
    .map((key) => `${key}: ${show(before[key] ?? "–")} → ${show(after[key] ?? "–")}`)
    .join("; ");
}

/** The audit log: who did what, to what, before and after, when; filtered, a page at a time, and as CSV. */
export function AuditTab(props: { memberKey: string }) {
  const [form, setForm] = useState<Filters>(NONE);
  const [filters, setFilters] = useState<Filters>(NONE);
  const [problem, setProblem] = useState<unknown>();
  const list = usePages(
    (cursor) => api.audit({ ...queryOf(filters), ...(cursor ? { cursor } : {}) }, { apiKey: props.memberKey }),
    [filters, props.memberKey]
  );
  const download = async () => {
    setProblem(undefined);
    try {
      saveFile("audit.csv", await api.auditCsv(queryOf(filters), { apiKey: props.memberKey }));
    } catch (error) {
      setProblem(error);
    }
  };
  const field = (name: keyof Filters, label: string, placeholder: string) => (
    <label>
      {label}
      <input
        value={form[name]}
        placeholder={placeholder}
        onInput={(e) => setForm({ ...form, [name]: (e.currentTarget as HTMLInputElement).value.trim() })}
      />
    </label>
  );
  return (
    <Card title={t("operator.tab.audit")}>
      <form
        class="filters"
        onSubmit={(event) => {
          event.preventDefault();
          setFilters(form);
        }}
      >
        {field("action", t("operator.audit.action"), "member.deactivate")}
        {field("subject", t("operator.audit.subject"), "member:12")}
        {field("actorId", t("operator.audit.actor"), "1")}
        <button type="submit">{t("operator.find")}</button>
        <button type="button" class="secondary" onClick={() => void download()}>
          {t("operator.audit.csv")}
        </button>
      </form>
      <PagedTable
        label={t("operator.tab.audit")}
        list={list}
        problem={problem}
        head={[
          t("operator.audit.when"),
          t("operator.audit.actor"),
          t("operator.audit.action"),
          t("operator.audit.subject"),
          t("operator.audit.change"),
        ]}
        row={(entry) => (
          <tr data-audit={entry.id} data-action={entry.action} data-subject={entry.subject}>
            <td>{formatMoment(entry.at, language.value)}</td>
            <td data-label={t("operator.audit.actor")}>#{entry.actorId}</td>
            <td>{entry.action}</td>
            <td>{entry.subject}</td>
            <td>{change(entry)}</td>
          </tr>
        )}
      />
    </Card>
  );
}
