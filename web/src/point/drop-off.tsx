import { useState } from "preact/hooks";
import { api, ApiError, idempotencyKey } from "../api.js";
import { language, t } from "../i18n.js";
import type { CollectionBody, Collector, CreditEvent, PublicProgram } from "../../../services/api/client/types.js";
import { Card, Problem } from "../ui/layout.js";
import { Scanner } from "../ui/scanner.js";
import { shortHash } from "../ui/status-steps.js";
import { collectorAddress } from "./collector-code.js";

type DropOffBody = Pick<CollectionBody, "programId" | "collector" | "material" | "grams">;

const DRAFT_KEY = "recircle.point.draft";

/**
 * One Idempotency-Key per drop-off, kept (across retries and a reload) until it is recorded: a retry after a
 * lost answer replays the first one instead of recording twice. Changing the drop-off makes it a new one.
 */
function keyFor(body: DropOffBody): string {
  const saved = JSON.parse(localStorage.getItem(DRAFT_KEY) ?? "null") as { key: string; body: DropOffBody } | null;
  if (saved && JSON.stringify(saved.body) === JSON.stringify(body)) return saved.key;
  const key = idempotencyKey();
  localStorage.setItem(DRAFT_KEY, JSON.stringify({ key, body }));
  return key;
}

export const grams = (value: number) => new Intl.NumberFormat(language.value).format(value);

/** Scan the collector, pick the material, type the weight, record. */
export function DropOffForm(props: {
  memberKey: string;
  program: PublicProgram;
  onRecorded: (event: CreditEvent) => void;
  onError: (error: unknown) => void;
}) {
  const [collector, setCollector] = useState<Collector & { address: string }>();
  const [material, setMaterial] = useState<CollectionBody["material"] | undefined>(props.program.materials.length === 1 ? props.program.materials[0] : undefined);
  const [weight, setWeight] = useState("");
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<unknown>();
  const [done, setDone] = useState<string>();

  const fail = (error: unknown) => {
    setProblem(error);
    props.onError(error);
  };

  const scanned = async (text: string) => {
    setDone(undefined);
    const address = collectorAddress(text);
    if (!address) return setProblem(new ApiError(400, "RC_INVALID_ADDRESS", t("point.collector.invalid")));
    setBusy(true);
    setProblem(undefined);
    try {
      // A new collector is registered here; a known one answers 200 with its record.
      const registered = await api.registerCollector({ address }, { apiKey: props.memberKey });
      setCollector({ ...registered, address: registered.address ?? address });
    } catch (error) {
      fail(error);
    } finally {
      setBusy(false);
    }
  };

  const mass = /^[0-9]{1,8}$/.test(weight) ? Number(weight) : 0;
  const rate = material ? Number(props.program.rates[material] ?? 0) : 0;
  const estimate = (mass * rate) / 1000;

  const record = async (event: Event) => {
    event.preventDefault();
    if (!collector || !material || mass < 1) return;
    const body: DropOffBody = { programId: props.program.id, collector: collector.address, material, grams: mass };
    setBusy(true);
    setProblem(undefined);
    try {
      const recorded = await api.recordCollection(body, { apiKey: props.memberKey, idempotencyKey: keyFor(body) });
      localStorage.removeItem(DRAFT_KEY);
      setDone(t("point.recorded", { grams: grams(mass), material, tokens: recorded.tokens, symbol: props.program.symbol }));
      setCollector(undefined);
      setWeight("");
      props.onRecorded(recorded);
    } catch (error) {
      // No answer: the drop-off may or may not be recorded; tapping Record again is safe (same key).
      fail(error instanceof ApiError && error.status === 0 ? new ApiError(0, error.code, t("point.record.lost")) : error);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Card title={t("point.dropOff")}>
      {collector ? (
        <div class="picked">
          <p>
            {t("point.collector.ready")} <strong>{collector.displayName ?? ""}</strong> <code title={collector.address}>{shortHash(collector.address)}</code>
          </p>
          <button type="button" class="secondary" onClick={() => setCollector(undefined)}>
            {t("point.collector.change")}
          </button>
        </div>
      ) : (
        <>
          <p class="hint">{t("point.collector.hint")}</p>
          <Scanner label={t("point.collector.code")} placeholder="0x…" onCode={scanned} />
        </>
      )}
      <form onSubmit={record}>
        <fieldset class="choices">
          <legend>{t("point.material")}</legend>
          {props.program.materials.map((m) => (
            <button type="button" class={material === m ? "choice chosen" : "choice"} aria-pressed={material === m} onClick={() => setMaterial(m)}>
              {m}
            </button>
          ))}
        </fieldset>
        <label>
          {t("point.grams")}
          <input
            type="text"
            inputMode="numeric"
            pattern="[0-9]*"
            autocomplete="off"
            maxLength={8}
            value={weight}
            onInput={(e) => setWeight((e.currentTarget as HTMLInputElement).value.replace(/[^0-9]/g, ""))}
          />
        </label>
        {estimate > 0 && (
          <p class="muted">{t("point.estimate", { tokens: new Intl.NumberFormat(language.value, { maximumFractionDigits: 4 }).format(estimate), symbol: props.program.symbol })}</p>
        )}
        {problem !== undefined && <Problem error={problem} />}
        <button type="submit" disabled={busy || !collector || !material || mass < 1}>
          {busy ? t("common.loading") : t("point.record")}
        </button>
        {!collector && <p class="hint">{t("point.record.needsCollector")}</p>}
      </form>
      {done && (
        <p class="ok" aria-live="polite">
          {done}
        </p>
      )}
    </Card>
  );
}
