import { useState } from "preact/hooks";
import type { Program, TermsChangeBody } from "../../../services/api/client/types.js";
import { api } from "../api.js";
import { language, t } from "../i18n.js";
import { formatMoment } from "../ui/format.js";
import { Card, Problem } from "../ui/layout.js";
import { countryName } from "./countries.js";
import { PagedTable } from "./paged-table.js";
import { termsDiff } from "./terms-diff.js";
import { formOf, TermsFields, termsBody } from "./terms-fields.js";
import { usePages } from "./use-pages.js";

/** A program's terms, edited for the events accepted from now on, and every earlier change: who, when, what. */
export function ProgramTerms(props: { memberKey: string; program: Program; onSaved: (program: Program) => void; onClose: () => void }) {
  const { program } = props;
  const [form, setForm] = useState(formOf(program));
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<unknown>();
  const [saved, setSaved] = useState<"saved" | "unchanged">();
  const [version, setVersion] = useState(0);
  const history = usePages(
    (cursor) => api.programTermsHistory(program.id, cursor ? { cursor } : {}, { apiKey: props.memberKey }),
    [program.id, version, props.memberKey]
  );
  const save = async () => {
    setProblem(undefined);
    setSaved(undefined);
    let body: TermsChangeBody;
    try {
      body = termsBody(program.kind, form, "none");
    } catch (error) {
      setProblem(new Error(t("operator.programs.badJson", { problem: (error as Error).message })));
      return;
    }
    setBusy(true);
    try {
      const changed = await api.changeProgramTerms(program.id, body, { apiKey: props.memberKey });
      // The answer is the program as it is now: the same terms as before mean nothing was recorded.
      setSaved(termsDiff(program, changed).length > 0 ? "saved" : "unchanged");
      setVersion((v) => v + 1);
      props.onSaved(changed);
    } catch (error) {
      setProblem(error);
    } finally {
      setBusy(false);
    }
  };
  return (
    <Card title={t("operator.programs.termsOf", { name: program.name })} class="program-terms">
      <p data-testid="program-country">{t("operator.programs.countryOf", { country: countryName(program.phoneCountry, language.value) })}</p>
      <p class="hint">{t("operator.programs.newEventsOnly")}</p>
      <form
        onSubmit={(event) => {
          event.preventDefault();
          void save();
        }}
      >
        <TermsFields kind={program.kind} form={form} onChange={setForm} />
        {problem !== undefined && <Problem error={problem} />}
        {saved && (
          <p class="notice" role="status">
            {t(saved === "saved" ? "operator.programs.saved" : "operator.programs.unchanged")}
          </p>
        )}
        <div class="filters">
          <button type="submit" disabled={busy}>
            {t("operator.programs.save")}
          </button>
          <button type="button" class="secondary" onClick={props.onClose}>
            {t("operator.programs.close")}
          </button>
        </div>
      </form>
      <h3>{t("operator.programs.history")}</h3>
      <PagedTable
        label={t("operator.programs.history")}
        list={history}
        head={[t("operator.programs.when"), t("operator.programs.who"), t("operator.programs.what")]}
        row={(change) => (
          <tr data-change={change.id}>
            <td>{formatMoment(change.at, language.value)}</td>
            <td>{change.actorId}</td>
            <td>
              {termsDiff(change.before, change.after).map((line) => (
                <div>{line}</div>
              ))}
            </td>
          </tr>
        )}
      />
    </Card>
  );
}
