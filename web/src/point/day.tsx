import { useEffect, useState } from "preact/hooks";
import { api, ApiError } from "../api.js";
import { t } from "../i18n.js";
import type { CreditEvent, PublicProgram } from "../../../services/api/client/types.js";
import { loadNetwork } from "../network.js";
import { Card, Problem } from "../ui/layout.js";
import { ClaimCodeCard } from "./claim-code.js";
import { DropOffForm } from "./drop-off.js";
import { TodayList } from "./today.js";
import { useOutbox } from "./use-outbox.js";

const PROGRAM_KEY = "recircle.point.program";
/** The programs this point may record for, as last read: the day's screen opens without a connection too. */
const PROGRAMS_KEY = "recircle.point.programs";

/** The API's list of the point's programs; without an answer, the copy kept from the last one. */
async function issuingPrograms(memberKey: string): Promise<PublicProgram[]> {
  try {
    const [network, me] = await Promise.all([loadNetwork(true), api.me({ apiKey: memberKey })]);
    const issuing = new Set(me.programs.filter((p) => p.role === "issuer").map((p) => p.programId));
    const programs = network.programs.filter((p) => p.kind === "recycling" && issuing.has(p.id));
    localStorage.setItem(PROGRAMS_KEY, JSON.stringify(programs));
    return programs;
  } catch (error) {
    const kept = localStorage.getItem(PROGRAMS_KEY);
    if (kept && error instanceof ApiError && error.status === 0) return JSON.parse(kept) as PublicProgram[];
    throw error;
  }
}

/** The day's screen: the program (remembered), a drop-off form, and today's drop-offs as they mint. */
export function PointDay(props: { memberKey: string; signOut: () => void }) {
  const [programs, setPrograms] = useState<PublicProgram[]>();
  const [problem, setProblem] = useState<unknown>();
  const [programId, setProgramId] = useState<number | undefined>(() => Number(localStorage.getItem(PROGRAM_KEY)) || undefined);
  const [recorded, setRecorded] = useState<CreditEvent[]>([]);
  // The phone collector last entered: the claim code card offers their number.
  const [lastPhone, setLastPhone] = useState<string>();
  const load = () => {
    setProblem(undefined);
    // Only the programs this point may record for: another one's drop-off would be refused (403).
    issuingPrograms(props.memberKey).then(setPrograms, (error) => (setProblem(error), onError(error)));
  };
  useEffect(load, []);
  // A key the API no longer takes sends the point back to sign in (what is kept stays on the phone).
  const onError = (error: unknown) => {
    if (error instanceof ApiError && error.status === 401) props.signOut();
  };
  const recordedNow = (event: CreditEvent) => setRecorded((shown) => [event, ...shown.filter((e) => e.id !== event.id)]);
  const outbox = useOutbox(props.memberKey, recordedNow, onError);

  if (problem) {
    return (
      <Card>
        <Problem error={problem} />
        <button type="button" onClick={load}>
          {t("common.retry")}
        </button>
      </Card>
    );
  }
  if (!programs) return <p class="loading">{t("common.loading")}</p>;
  const program = programs.find((p) => p.id === programId) ?? (programs.length === 1 ? programs[0] : undefined);
  const choose = (id: number) => {
    localStorage.setItem(PROGRAM_KEY, String(id));
    setProgramId(id);
    setRecorded([]);
  };
  return (
    <>
      <Card>
        <label>
          {t("point.program")}
          <select value={program?.id ?? ""} onChange={(event) => choose(Number((event.currentTarget as HTMLSelectElement).value))}>
            {!program && <option value="">{t("point.program.choose")}</option>}
            {programs.map((p) => (
              <option value={p.id}>
                {p.name} ({p.symbol})
              </option>
            ))}
          </select>
        </label>
        {programs.length === 0 && <p class="hint">{t("point.program.none")}</p>}
      </Card>
      {program && (
        <>
          <DropOffForm
            key={program.id}
            memberKey={props.memberKey}
            program={program}
            outbox={outbox}
            onRecorded={recordedNow}
            onPhone={setLastPhone}
            onError={onError}
          />
          <ClaimCodeCard memberKey={props.memberKey} country={program.phoneCountry} phone={lastPhone} onError={onError} />
          <TodayList memberKey={props.memberKey} program={program} recorded={recorded} outbox={outbox} onError={onError} />
        </>
      )}
      {outbox.items?.some((item) => !item.refused) && <p class="hint">{t("point.kept.signOut")}</p>}
      <button type="button" class="secondary" onClick={props.signOut}>
        {t("common.signOut")}
      </button>
    </>
  );
}
