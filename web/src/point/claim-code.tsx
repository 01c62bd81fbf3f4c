import { useState } from "preact/hooks";
import { api, ApiError } from "../api.js";
import { language, t } from "../i18n.js";
import type { ClaimCode } from "../../../services/api/client/types.js";
import { Card, Problem } from "../ui/layout.js";
import { isRefusal } from "./outbox.js";
import { PhoneEntry } from "./phone-entry.js";

/**
 * A phone collector's claim code: the point types their number, the API issues a one-time code (six digits,
 * 15 minutes), and the point reads it out. With it the collector moves what waits for them in escrow to a
 * wallet of their own. Shown once: the API keeps only its hash. It needs a connection, and says so. `phone`, the
 * number last entered for a drop-off, fills the field: the code is most often asked for right after one. A local
 * number is read in `country`, the chosen program's.
 */
export function ClaimCodeCard(props: { memberKey: string; country: string; phone?: string; onError: (error: unknown) => void }) {
  const [issued, setIssued] = useState<ClaimCode>();
  const [busy, setBusy] = useState(false);
  // A string is already in the point's words; anything else a fault, said by <Problem>.
  const [problem, setProblem] = useState<unknown>();

  const issue = async (phone: string) => {
    setBusy(true);
    setProblem(undefined);
    setIssued(undefined);
    try {
      setIssued(await api.issueClaimCode({ phone }, { apiKey: props.memberKey }));
    } catch (error) {
      if (error instanceof ApiError && error.status === 0) setProblem(t("point.claim.offline"));
      else if (isRefusal(error) && error.status !== 401) setProblem(error);
      else {
        setProblem(error);
        props.onError(error);
      }
    } finally {
      setBusy(false);
    }
  };

  const until = issued && new Intl.DateTimeFormat(language.value, { hour: "2-digit", minute: "2-digit" }).format(new Date(issued.expiresAt));
  return (
    <Card title={t("point.claim")}>
      <p class="hint">{t("point.claim.hint")}</p>
      {/* Filled with the number just entered for a drop-off (keyed by it: a new one fills it afresh). */}
      <PhoneEntry
        key={props.phone}
        label={t("point.collector.phone")}
        country={props.country}
        action={t("point.claim.issue")}
        initial={props.phone}
        busy={busy}
        onNumber={(phone) => void issue(phone)}
      />
      {typeof problem === "string" ? (
        <p class="problem" role="alert">
          {problem}
        </p>
      ) : (
        problem !== undefined && <Problem error={problem} />
      )}
      {issued && (
        <div class="claim-code" aria-live="polite">
          <p>{t("point.claim.for", { phone: issued.phone })}</p>
          <p class="claim-code-figure" data-claim-code={issued.code}>
            {issued.code.slice(0, 3)} {issued.code.slice(3)}
          </p>
          <p class="hint">{t("point.claim.until", { time: until ?? "" })}</p>
        </div>
      )}
    </Card>
  );
}
