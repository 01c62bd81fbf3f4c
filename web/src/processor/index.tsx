import { useEffect, useState } from "preact/hooks";
import type { NetworkInfo } from "../../../services/api/client/types.js";
import { api } from "../api.js";
import { t } from "../i18n.js";
import { loadNetwork } from "../network.js";
import { Card, Layout, Problem } from "../ui/layout.js";
import { MemberGate } from "../ui/member-gate.js";
import { FormLot } from "./form-lot.js";
import "../operator/operator.css";

/** A processor's screen: form a lot from its programs' confirmed drop-offs, certify it, show its proofs. */
export default function ProcessorFace() {
  return (
    <Layout title={t("role.processor")}>
      <MemberGate role="processor">{(key, signOut) => <ProcessorDesk memberKey={key} signOut={signOut} />}</MemberGate>
    </Layout>
  );
}

function ProcessorDesk(props: { memberKey: string; signOut: () => void }) {
  const [programs, setPrograms] = useState<NetworkInfo["programs"]>();
  const [problem, setProblem] = useState<unknown>();
  useEffect(() => {
    Promise.all([api.me({ apiKey: props.memberKey }), loadNetwork(true)])
      .then(([me, network]) => {
        const mine = new Set(me.programs.filter((p) => p.role === "processor").map((p) => p.programId));
        setPrograms(network.programs.filter((p) => mine.has(p.id)));
      })
      .catch(setProblem);
  }, [props.memberKey]);
  return (
    <div class="operator">
      {problem !== undefined && <Problem error={problem} />}
      {programs === undefined ? (
        problem === undefined && <p class="loading">{t("common.loading")}</p>
      ) : programs.length === 0 ? (
        <Card>
          <p>{t("processor.noPrograms")}</p>
        </Card>
      ) : (
        <FormLot memberKey={props.memberKey} programs={programs} />
      )}
      <button type="button" class="secondary" onClick={props.signOut}>
        {t("common.signOut")}
      </button>
    </div>
  );
}
