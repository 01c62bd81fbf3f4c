import { useState } from "preact/hooks";
import type { Lot, LotCandidates, NetworkInfo } from "../../../services/api/client/types.js";
import { api } from "../api.js";
import { language, t } from "../i18n.js";
import { formatAmount, formatCount, formatDay } from "../ui/format.js";
import { Card, Problem } from "../ui/layout.js";
import { LotCard } from "./lot-card.js";
import { materialName } from "../ui/material.js";
import { useAction } from "../ui/use-action.js";

type Candidate = LotCandidates["items"][number];

/** Monday 00:00 UTC of the ISO week `week` ("2026-W49"), and the Monday after. */
function weekRange(week: string): { since: string; until: string } | undefined {
  const match = /^(\d{4})-W(\d{2})$/.exec(week);
  if (!match) return undefined;
  const jan4 = Date.UTC(Number(match[1]), 0, 4);
  const monday = jan4 - ((new Date(jan4).getUTCDay() + 6) % 7) * 86_400_000 + (Number(match[2]) - 1) * 7 * 86_400_000;
  return { since: new Date(monday).toISOString(), until: new Date(monday + 7 * 86_400_000).toISOString() };
}

/** Pick a program, a material, a point and a week; the confirmed drop-offs found become a lot, all or some. */
export function FormLot(props: { memberKey: string; programs: NetworkInfo["programs"] }) {
  const [programId, setProgramId] = useState(props.programs[0]!.id);
  const program = props.programs.find((p) => p.id === programId)!;
  const [material, setMaterial] = useState(program.materials[0] ?? "PET");
  const [pointId, setPointId] = useState("");
  const [week, setWeek] = useState("");
  const [found, setFound] = useState<Candidate[]>();
  const [chosen, setChosen] = useState<Set<number>>(new Set());
  const [lot, setLot] = useState<Lot>();
  const { busy, problem, run } = useAction();
  const find = () =>
    run(async () => {
      const range = weekRange(week);
      const answer = await api.lotCandidates(
        { programId: String(programId), material, ...(pointId.trim() ? { pointId: pointId.trim() } : {}), ...(range ?? {}) },
        { apiKey: props.memberKey },
      );
      setFound(answer.items);
      setChosen(new Set(answer.items.map((c) => c.id)));
      setLot(undefined);
    });
  const form = () =>
    run(async () => {
      setLot(await api.createLot({ programId, material, collectionIds: [...chosen] }, { apiKey: props.memberKey }));
      setFound(undefined);
    });
  const grams = (found ?? []).filter((c) => chosen.has(c.id)).reduce((sum, c) => sum + c.grams, 0);
  return (
    <>
      <Card title={t("processor.form")}>
        <form
          class="filters"
          onSubmit={(event) => {
            event.preventDefault();
            void find();
          }}
        >
          <label>
            {t("operator.program")}
            <select aria-label={t("operator.program")} value={programId} onChange={(e) => setProgramId(Number((e.currentTarget as HTMLSelectElement).value))}>
              {props.programs.map((p) => (
                <option value={p.id}>{p.name}</option>
              ))}
            </select>
          </label>
          <label>
            {t("operator.lots.material")}
            <select aria-label={t("operator.lots.material")} value={material} onChange={(e) => setMaterial((e.currentTarget as HTMLSelectElement).value as typeof material)}>
              {program.materials.map((m) => (
                <option value={m}>{materialName(m)}</option>
              ))}
            </select>
          </label>
          <label>
            {t("processor.point")}
            <input inputMode="numeric" value={pointId} onInput={(e) => setPointId((e.currentTarget as HTMLInputElement).value)} />
          </label>
          <label>
            {t("processor.week")}
            <input type="week" value={week} onInput={(e) => setWeek((e.currentTarget as HTMLInputElement).value)} />
          </label>
          <button type="submit" disabled={busy}>
            {t("operator.find")}
          </button>
        </form>
        {problem !== undefined && <Problem error={problem} />}
        {found !== undefined &&
          (found.length === 0 ? (
            <p>{t("processor.nothing")}</p>
          ) : (
            <>
              <ul class="candidates" aria-label={t("processor.candidates")}>
                {found.map((c) => (
                  <li data-collection={c.id}>
                    <label>
                      <input
                        type="checkbox"
                        checked={chosen.has(c.id)}
                        onChange={() => {
                          const next = new Set(chosen);
                          if (!next.delete(c.id)) next.add(c.id);
                          setChosen(next);
                        }}
                      />
                      {t("processor.candidate", { id: c.id, grams: formatCount(c.grams, language.value), point: c.pointId, day: formatDay(c.createdAt, language.value) })}
                    </label>
                  </li>
                ))}
              </ul>
              <button type="button" disabled={busy || chosen.size === 0} onClick={() => void form()}>
                {t("processor.formLot", { count: formatCount(chosen.size, language.value), kg: formatAmount(String(grams / 1000), 3, language.value) })}
              </button>
            </>
          ))}
      </Card>
      {lot && <LotCard memberKey={props.memberKey} lot={lot} onChange={setLot} />}
    </>
  );
}
