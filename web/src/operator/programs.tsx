import { useState } from "preact/hooks";
import type { Program } from "../../../services/api/client/types.js";
import { api } from "../api.js";
import { t } from "../i18n.js";
import { Card } from "../ui/layout.js";
import { PagedTable } from "./paged-table.js";
import { CreateProgram } from "./program-create.js";
import { ProgramTerms } from "./program-terms.js";
import { usePages } from "./use-pages.js";

/**
 * Programs: each with its token's state on chain, paused or unpaused from here (a chain write of the operator's key,
 * answered once mined); its terms edited for new events, with their history; a new program created.
 */
export function ProgramsTab(props: { memberKey: string }) {
  const [problem, setProblem] = useState<unknown>();
  const [editing, setEditing] = useState<Program>();
  const [sending, setSending] = useState<number>();
  // One page: the network's programs are few, and GET /v1/programs lists them all.
  const list = usePages(async () => ({ items: await api.programs({ apiKey: props.memberKey }), next: null }), [props.memberKey]);
  const setPaused = async (program: Program, paused: boolean) => {
    setProblem(undefined);
    setSending(program.id);
    try {
      await (paused ? api.pauseProgram : api.unpauseProgram)(program.id, { apiKey: props.memberKey });
      await list.reload();
    } catch (error) {
      setProblem(error);
    } finally {
      setSending(undefined);
    }
  };
  return (
    <>
      <Card title={t("operator.tab.programs")}>
        <PagedTable
          label={t("operator.tab.programs")}
          list={list}
          problem={problem}
          head={["#", t("operator.name"), t("operator.kind"), t("operator.programs.token")]}
          row={(program) => (
            <tr data-program={program.id} class={program.paused ? "inactive" : ""}>
              <td>{program.id}</td>
              <td>
                {program.name} ({program.symbol})
              </td>
              <td>{t(`operator.programs.kind.${program.kind}`)}</td>
              <td>{program.paused ? t("operator.programs.paused") : t("operator.programs.running")}</td>
              <td class="actions">
                <button type="button" class="secondary" onClick={() => setEditing(program)}>
                  {t("operator.programs.edit")}
                </button>
                <button type="button" class="secondary" disabled={sending !== undefined} onClick={() => void setPaused(program, !program.paused)}>
                  {sending === program.id
                    ? t("operator.programs.sending")
                    : program.paused
                      ? t("operator.programs.unpause")
                      : t("operator.programs.pause")}
                </button>
              </td>
            </tr>
          )}
        />
      </Card>
      {editing && (
        <ProgramTerms
          key={editing.id}
          memberKey={props.memberKey}
          program={editing}
          onSaved={(program) => {
            setEditing(program);
            void list.reload();
          }}
          onClose={() => setEditing(undefined)}
        />
      )}
      <CreateProgram memberKey={props.memberKey} onCreated={() => void list.reload()} />
    </>
  );
}
