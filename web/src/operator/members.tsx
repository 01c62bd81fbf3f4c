import { useState } from "preact/hooks";
import type { Member } from "../../../services/api/client/types.js";
import { api } from "../api.js";
import { t } from "../i18n.js";
import { Card } from "../ui/layout.js";
import { MemberRoles, ROLE_KINDS } from "./member-roles.js";
import { PagedTable } from "./paged-table.js";
import { usePages } from "./use-pages.js";

const KINDS = ["collection_point", "brand", "retailer", "sponsor", "processor", "admin"] as const;
type Kind = (typeof KINDS)[number];

/**
 * Members: search, filter by kind, a page at a time; deactivate, reactivate, rotate a key (shown once); the roles
 * a member holds in programs, granted and revoked.
 */
export function MembersTab(props: { memberKey: string }) {
  const [q, setQ] = useState("");
  const [kind, setKind] = useState<Kind | "">("");
  const [search, setSearch] = useState({ q: "", kind: "" as Kind | "" });
  const [problem, setProblem] = useState<unknown>();
  const [newKey, setNewKey] = useState<{ name: string; apiKey: string }>();
  const [rolesOf, setRolesOf] = useState<number>();
  const list = usePages(
    (cursor) =>
      api.members(
        {
          ...(search.q ? { q: search.q } : {}),
          ...(search.kind ? { kind: search.kind } : {}),
          ...(cursor ? { cursor } : {}),
        },
        { apiKey: props.memberKey }
      ),
    [search, props.memberKey]
  );
  const act = async (run: () => Promise<unknown>) => {
    setProblem(undefined);
    try {
      await run();
      await list.reload();
    } catch (error) {
      setProblem(error);
    }
  };
  const rotate = (member: Member) =>
    act(async () => {
      const rotated = await api.rotateMemberKey(member.id, {
        apiKey: props.memberKey,
      });
      setNewKey({ name: rotated.name, apiKey: rotated.apiKey });
    });
  return (
    <Card title={t("operator.tab.members")}>
      <form
        class="filters"
        onSubmit={(event) => {
          event.preventDefault();
          setSearch({ q: q.trim(), kind });
        }}
      >
        <label>
          {t("operator.search")}
          <input type="search" value={q} onInput={(e) => setQ((e.currentTarget as HTMLInputElement).value)} />
        </label>
        <label>
          {t("operator.kind")}
          <select
            aria-label={t("operator.kind")}
            value={kind}
            onChange={(e) => setKind((e.currentTarget as HTMLSelectElement).value as Kind | "")}
          >
            <option value="">{t("operator.kind.any")}</option>
            {KINDS.map((k) => (
              <option value={k}>{t(`operator.kind.${k}`)}</option>
            ))}
          </select>
        </label>
        <button type="submit">{t("operator.find")}</button>
      </form>
      {newKey && (
        <p class="notice" role="status">
          {t("operator.member.newKey", { name: newKey.name })} <span class="secret">{newKey.apiKey}</span>
        </p>
      )}
      <PagedTable
        label={t("operator.tab.members")}
        list={list}
        problem={problem}
        head={["#", t("operator.name"), t("operator.kind"), t("operator.member.state")]}
        row={(member) => (
          <>
            <tr data-member={member.id} class={member.active ? "" : "inactive"}>
              <td>{member.id}</td>
              <td>{member.name}</td>
              <td>{t(`operator.kind.${member.kind}`)}</td>
              <td>{member.active ? t("operator.member.active") : t("operator.member.inactive")}</td>
              <td class="actions">
                {ROLE_KINDS.includes(member.kind) && (
                  <button
                    type="button"
                    class="secondary"
                    aria-expanded={rolesOf === member.id}
                    onClick={() => setRolesOf(rolesOf === member.id ? undefined : member.id)}
                  >
                    {t("operator.roles.programs")}
                  </button>
                )}
                <button type="button" class="secondary" onClick={() => rotate(member)}>
                  {t("operator.member.rotate")}
                </button>
                {member.active ? (
                  <button
                    type="button"
                    class="secondary"
                    onClick={() =>
                      act(() =>
                        api.deactivateMember(member.id, {
                          apiKey: props.memberKey,
                        })
                      )
                    }
                  >
                    {t("operator.member.deactivate")}
                  </button>
                ) : (
                  <button
                    type="button"
                    class="secondary"
                    onClick={() =>
                      act(() =>
                        api.reactivateMember(member.id, {
                          apiKey: props.memberKey,
                        })
                      )
                    }
                  >
                    {t("operator.member.reactivate")}
                  </button>
                )}
              </td>
            </tr>
            {rolesOf === member.id && (
              <tr data-roles-of={member.id}>
                <td colSpan={5}>
                  <MemberRoles member={member} memberKey={props.memberKey} />
                </td>
              </tr>
            )}
          </>
        )}
      />
    </Card>
  );
}
