import { useState } from "preact/hooks";
import { t } from "../i18n.js";
import { Card } from "../ui/layout.js";
import { HeldEvents } from "./review-held.js";
import { Reversals } from "./review-reversals.js";
import { TroubledEvents } from "./review-troubled.js";

/**
 * The Review tab: the held queue (decided one by one or in bulk), the events that failed or are stuck on the
 * way to the chain, and the reversals of credits; one program filter and one reason for every decision.
 */
export function ReviewTab(props: { memberKey: string }) {
  const [programId, setProgramId] = useState("");
  const [filter, setFilter] = useState("");
  const [reason, setReason] = useState("");
  const lists = { memberKey: props.memberKey, programId: filter };
  return (
    <>
      <Card title={t("operator.tab.review")}>
        <form
          class="filters"
          onSubmit={(event) => {
            event.preventDefault();
            setFilter(programId.trim());
          }}
        >
          <label>
            {t("operator.program")}
            <input inputMode="numeric" value={programId} onInput={(e) => setProgramId((e.currentTarget as HTMLInputElement).value)} />
          </label>
          <button type="submit">{t("operator.find")}</button>
        </form>
        <label>
          {t("operator.review.reason")}
          <input value={reason} onInput={(e) => setReason((e.currentTarget as HTMLInputElement).value)} />
        </label>
        {reason.trim() === "" && <p class="hint">{t("operator.review.reasonFirst")}</p>}
      </Card>
      <Card title={t("operator.review.held")}>
        <HeldEvents {...lists} reason={reason} />
      </Card>
      <Card title={t("operator.review.failed")}>
        <TroubledEvents state="failed" {...lists} reason={reason} />
      </Card>
      <Card title={t("operator.review.stuck")}>
        <TroubledEvents state="stuck" {...lists} reason={reason} />
      </Card>
      <Card title={t("operator.review.reversals")}>
        <Reversals {...lists} />
      </Card>
    </>
  );
}
