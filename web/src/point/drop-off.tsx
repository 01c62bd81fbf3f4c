import { useState } from "preact/hooks";
import { api, idempotencyKey } from "../api.js";
import { language, t } from "../i18n.js";
import type { CollectionBody, CreditEvent, PublicProgram } from "../../../services/api/client/types.js";
import { Card, Problem } from "../ui/layout.js";
import { maskPhone } from "../../../services/core/phone-number.js";
import { Scanner } from "../ui/scanner.js";
import { shortHash } from "../ui/status-steps.js";
import { collectorAddress } from "./collector-code.js";
import { type CollectorId, type DropOffBody, isRefusal, isUnanswered } from "./outbox.js";
import { PhoneEntry } from "./phone-entry.js";
import type { Outbox } from "./use-outbox.js";
import { materialName } from "../ui/material.js";

/**
 * The collector at the scale, by wallet or by phone number (E.164; `shown` is it masked): registered (with the
 * API's record), or entered offline and kept to register later.
 */
type EnteredCollector = CollectorId & { shown: string; title?: string; displayName: string | null; kept: boolean };

export const grams = (value: number) => new Intl.NumberFormat(language.value).format(value);

/**
 * Scan the collector, pick the material, type the weight, record. Without a connection the collector and the
 * drop-off are kept on this phone (the outbox) and sent, in order, when it returns.
 */
export function DropOffForm(props: {
  memberKey: string;
  program: PublicProgram;
  outbox: Outbox;
  onRecorded: (event: CreditEvent) => void;
  /** A collector entered by phone number (E.164), for the claim code to be given without typing it again. */
  onPhone: (e164: string) => void;
  onError: (error: unknown) => void;
}) {
  const [collector, setCollector] = useState<EnteredCollector>();
  const [material, setMaterial] = useState<CollectionBody["material"] | undefined>(props.program.materials.length === 1 ? props.program.materials[0] : undefined);
  const [weight, setWeight] = useState("");
  const [busy, setBusy] = useState(false);
  // A string is the point's own words; a refusal (the API's, or a kept one's) or a fault is said by <Problem>.
  const [problem, setProblem] = useState<unknown>();
  // What the last Record came to; a kept one's words hold only while it still waits on the phone (its row says the rest).
  const [done, setDone] = useState<{ text: string; keptKey?: string }>();

  const fail = (error: unknown) => {
    setProblem(error);
    props.onError(error);
  };

  // How the collector is entered: the QR on their phone, or their number for one without a smartphone.
  const [by, setBy] = useState<"qr" | "phone">("qr");

  const scanned = (text: string) => {
    setDone(undefined);
    const address = collectorAddress(text);
    if (!address) return setProblem(t("point.collector.invalid"));
    return enter({ address });
  };

  const enter = async (who: CollectorId) => {
    setDone(undefined);
    setBusy(true);
    setProblem(undefined);
    const shown = "address" in who ? shortHash(who.address) : maskPhone(who.phone);
    const title = "address" in who ? who.address : undefined;
    try {
      // A new collector is registered here; a known one answers 200 with its record.
      const registered = await api.registerCollector(who, { apiKey: props.memberKey });
      const known = "address" in who ? { address: registered.address ?? who.address } : who;
      setCollector({ ...known, shown, title, displayName: registered.displayName, kept: false });
      if ("phone" in who) props.onPhone(who.phone);
    } catch (error) {
      if (isRefusal(error) && error.status !== 401) return setProblem(error);
      if (!isUnanswered(error)) return fail(error);
      // Registered when the connection returns, before this collector's drop-offs are sent.
      await props.outbox.keepCollector(who);
      setCollector({ ...who, shown, title, displayName: null, kept: true });
      if ("phone" in who) props.onPhone(who.phone);
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
    const who = "address" in collector ? { collector: collector.address } : { phone: collector.phone };
    const body: DropOffBody = { programId: props.program.id, ...who, material, grams: mass };
    setBusy(true);
    setProblem(undefined);
    setDone(undefined);
    try {
      // Kept on the phone with its Idempotency-Key before it is first sent: a lost answer is retried as it was.
      const key = idempotencyKey();
      const outcome = await props.outbox.record(key, body);
      if ("refused" in outcome) return setProblem(outcome.refused);
      setDone(
        "event" in outcome
          ? { text: t("point.recorded", { grams: grams(mass), material: materialName(material), tokens: outcome.event.tokens, symbol: props.program.symbol }) }
          : { text: t("point.kept", { grams: grams(mass), material: materialName(material) }), keptKey: key },
      );
      setCollector(undefined);
      setWeight("");
      if ("event" in outcome) props.onRecorded(outcome.event);
    } catch (error) {
      fail(error);
    } finally {
      setBusy(false);
    }
  };

  // Record is offered only with everything a drop-off needs; the first thing missing is said under it.
  const missing = !collector ? t(by === "phone" ? "point.record.needsPhone" : "point.record.needsCollector") : !material ? t("point.record.needsMaterial") : mass < 1 ? t("point.record.needsWeight") : undefined;

  return (
    <Card title={t("point.dropOff")}>
      {collector ? (
        <div class="picked">
          <p>
            {t("point.collector.ready")} <strong>{collector.displayName ?? ""}</strong> <code title={collector.title}>{collector.shown}</code>
          </p>
          {collector.kept && <p class="hint">{t("point.collector.kept")}</p>}
          {"phone" in collector && <p class="hint">{t("point.collector.escrow")}</p>}
          <button type="button" class="secondary" onClick={() => setCollector(undefined)}>
            {t("point.collector.change")}
          </button>
        </div>
      ) : (
        <>
          <fieldset class="choices pair">
            <legend>{t("point.collector.by")}</legend>
            <button type="button" class={by === "qr" ? "choice chosen" : "choice"} aria-pressed={by === "qr"} onClick={() => setBy("qr")}>
              {t("point.collector.byQr")}
            </button>
            <button type="button" class={by === "phone" ? "choice chosen" : "choice"} aria-pressed={by === "phone"} onClick={() => setBy("phone")}>
              {t("point.collector.byPhone")}
            </button>
          </fieldset>
          {by === "qr" ? (
            <>
              <p class="hint">{t("point.collector.hint")}</p>
              <Scanner label={t("point.collector.code")} placeholder="0x…" onCode={scanned} />
            </>
          ) : (
            <>
              <p class="hint">{t("point.collector.phoneHint")}</p>
              <PhoneEntry label={t("point.collector.phone")} country={props.program.phoneCountry} action={t("point.collector.usePhone")} busy={busy} onNumber={(phone) => void enter({ phone })} />
            </>
          )}
        </>
      )}
      <form onSubmit={record}>
        <fieldset class="choices materials">
          <legend>{t("point.material")}</legend>
          {props.program.materials.map((m) => (
            <button type="button" class={material === m ? "choice chosen" : "choice"} aria-pressed={material === m} onClick={() => setMaterial(m)}>
              {materialName(m)}
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
        {typeof problem === "string" ? (
          <p class="problem" role="alert">
            {problem}
          </p>
        ) : (
          problem !== undefined && <Problem error={problem} />
        )}
        <button type="submit" disabled={busy || missing !== undefined} aria-describedby={missing ? "record-missing" : undefined}>
          {busy ? t("common.loading") : t("point.record")}
        </button>
        {missing && (
          <p class="hint" id="record-missing">
            {missing}
          </p>
        )}
      </form>
      {done && (done.keptKey === undefined || props.outbox.items?.some((item) => item.kind === "drop-off" && item.key === done.keptKey && !item.refused)) && (
        <p class="ok" aria-live="polite">
          {done.text}
        </p>
      )}
    </Card>
  );
}
