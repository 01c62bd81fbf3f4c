import type { ComponentChildren } from "preact";
import { useState } from "preact/hooks";
import { api, ApiError } from "../api.js";
import { t } from "../i18n.js";
import { type MemberRole, memberKeys, setMemberKey } from "../member-key.js";

const KIND: Record<MemberRole, string> = { point: "collection_point", retailer: "retailer", sponsor: "sponsor", operator: "admin", processor: "processor" };

/**
 * Asks for the member's API key once, checks it is a key of this role (GET /v1/members/me) and keeps it;
 * then renders the face with the key. A key the API later refuses sends the member back here.
 */
export function MemberGate(props: { role: MemberRole; children: (key: string, signOut: () => void) => ComponentChildren }) {
  const key = memberKeys.value[props.role];
  if (key) return <>{props.children(key, () => setMemberKey(props.role, undefined))}</>;
  return <MemberSignIn role={props.role} />;
}

function MemberSignIn(props: { role: MemberRole }) {
  const [typed, setTyped] = useState("");
  const [problem, setProblem] = useState<string>();
  const [busy, setBusy] = useState(false);
  return (
    <form
      class="card"
      onSubmit={async (event) => {
        event.preventDefault();
        setBusy(true);
        try {
          const me = await api.me({ apiKey: typed.trim() });
          if (me.kind !== KIND[props.role]) throw new ApiError(403, "RC_WRONG_ROLE", t("member.key.invalid"));
          setMemberKey(props.role, typed.trim());
        } catch (error) {
          setProblem(error instanceof ApiError && error.status !== 0 ? t("member.key.invalid") : t("common.noConnection"));
        } finally {
          setBusy(false);
        }
      }}
    >
      <label>
        {t("member.key")}
        <input type="password" autocomplete="current-password" value={typed} onInput={(e) => setTyped((e.currentTarget as HTMLInputElement).value)} />
      </label>
      <p class="hint">{t("member.key.hint")}</p>
      {problem && <p class="problem">{problem}</p>}
      <button type="submit" disabled={busy || typed.trim() === ""}>
        {t("member.signIn")}
      </button>
    </form>
  );
}
