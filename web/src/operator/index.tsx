import { useState } from "preact/hooks";
import { t } from "../i18n.js";
import { Layout } from "../ui/layout.js";
import { MemberGate } from "../ui/member-gate.js";
import { LotsTab } from "./lots.js";
import { MembersTab } from "./members.js";
import { ProgramsTab } from "./programs.js";
import { ReviewTab } from "./review.js";
import { AuditTab } from "./audit.js";
import { SystemTab } from "./system.js";
import "./operator.css";

const TABS = { members: MembersTab, programs: ProgramsTab, review: ReviewTab, lots: LotsTab, system: SystemTab, audit: AuditTab } as const;
type Tab = keyof typeof TABS;

/** The network operator's console, with the admin's key: members, their keys and roles, programs, the review queue, lots, the system's health, the audit log. */
export default function OperatorFace() {
  return (
    <Layout title={t("role.operator")}>
      <MemberGate role="operator">{(key, signOut) => <Console memberKey={key} signOut={signOut} />}</MemberGate>
    </Layout>
  );
}

function Console(props: { memberKey: string; signOut: () => void }) {
  const [tab, setTab] = useState<Tab>("members");
  const Current = TABS[tab];
  return (
    <div class="operator">
      <nav class="tabs" role="tablist">
        {(Object.keys(TABS) as Tab[]).map((name) => (
          <button
            type="button"
            role="tab"
            aria-selected={tab === name}
            class={tab === name ? "" : "secondary"}
            onClick={() => setTab(name)}
          >
            {t(`operator.tab.${name}`)}
          </button>
        ))}
        <button type="button" class="secondary" onClick={props.signOut}>
          {t("common.signOut")}
        </button>
      </nav>
      <Current memberKey={props.memberKey} />
    </div>
  );
}
