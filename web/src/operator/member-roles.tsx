import { useEffect, useState } from "preact/hooks";
import type { Me, Member, Program } from "../../../services/api/client/types.js";
import { api } from "../api.js";
import { t } from "../i18n.js";
import { Problem } from "../ui/layout.js";

/** The kinds of member that hold a role per program: issuers, acceptors and processors. */
export const ROLE_KINDS: readonly Member["kind"][] = ["collection_point", "brand", "retailer", "processor"];

/**
 * A member's roles in programs, each revocable, and a program to grant one in. The role follows from the
 * member's kind; a retailer's is also the token's ACCEPTOR_ROLE, so a grant or revoke waits for the chain.
 */
export function MemberRoles(props: { member: Member; memberKey: string }) {
  const [detail, setDetail] = useState<Me>();
  const [programs, setPrograms] = useState<Program[]>();
  const [chosen, setChosen] = useState("");
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<unknown>();
  const auth = { apiKey: props.memberKey };
  const load = async () => setDetail(await api.member(props.member.id, auth));
  useEffect(() => {
    Promise.all([load(), api.programs(auth).then(setPrograms)]).catch(setProblem);
  }, [props.member.id, props.memberKey]);

  const act = async (run: () => Promise<unknown>) => {
    setBusy(true);
    setProblem(undefined);
    try {
      await run();
      await load();
    } catch (error) {
      setProblem(error);
    } finally {
      setBusy(false);
    }
  };
  const nameOf = (programId: number) => programs?.find((p) => p.id === programId)?.name ?? "";
  const held = new Set(detail?.programs.map((p) => p.programId));
  const grantable = programs?.filter((p) => !held.has(p.id)) ?? [];
  const label = t("operator.roles.of", { name: props.member.name });

  return (
    <div class="roles" aria-busy={busy}>
      {problem !== undefined && <Problem error={problem} />}
      {detail === undefined ? (
        <p class="loading">{t("common.loading")}</p>
      ) : detail.programs.length === 0 ? (
        <p>{t("operator.roles.none")}</p>
      ) : (
        <ul aria-label={label}>
          {detail.programs.map((role) => (
            <li data-program={role.programId}>
              {t("operator.roles.holds", {
                id: role.programId,
                name: nameOf(role.programId),
                role: t(`operator.roles.${role.role}`),
              })}{" "}
              <button
                type="button"
                class="secondary"
                disabled={busy}
                onClick={() => void act(() => api.revokeProgram(role.programId, props.member.id, auth))}
              >
                {t("operator.roles.revoke")}
              </button>
            </li>
          ))}
        </ul>
      )}
      {props.member.active && grantable.length > 0 && (
        <form
          class="filters"
          onSubmit={(event) => {
            event.preventDefault();
            if (chosen) void act(() => api.grantProgram(Number(chosen), props.member.id, auth));
          }}
        >
          <label>
            {t("operator.roles.program")}
            <select value={chosen} onChange={(e) => setChosen((e.currentTarget as HTMLSelectElement).value)}>
              <option value="">{t("operator.roles.pick")}</option>
              {grantable.map((program) => (
                <option value={program.id}>
                  #{program.id} {program.name}
                </option>
              ))}
            </select>
          </label>
          <button type="submit" disabled={busy || !chosen}>
            {t("operator.roles.grant")}
          </button>
        </form>
      )}
      {busy && <p class="muted">{t("operator.roles.waiting")}</p>}
    </div>
  );
}
