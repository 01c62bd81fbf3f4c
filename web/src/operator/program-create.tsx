import { useState } from "preact/hooks";
import type { CreateProgramBody, Program } from "../../../services/api/client/types.js";
import { api } from "../api.js";
import { PHONE_COUNTRY } from "../../../services/core/phone-number.js";
import { language, t } from "../i18n.js";
import { Card, Problem } from "../ui/layout.js";
import { phoneCountries } from "./countries.js";
import { formOf, TermsFields, termsBody } from "./terms-fields.js";

/** Creates a program: its token is cloned on chain by the operator's key, so the answer takes a block. */
export function CreateProgram(props: { memberKey: string; onCreated: (program: Program) => void }) {
  const [name, setName] = useState("");
  const [symbol, setSymbol] = useState("");
  const [kind, setKind] = useState<Program["kind"]>("recycling");
  const [redemptionRate, setRedemptionRate] = useState("");
  // Where the program's points read a collector's local phone number ("0812…" in Indonesia, "0917…" in the Philippines).
  const [phoneCountry, setPhoneCountry] = useState<string>(PHONE_COUNTRY);
  const [terms, setTerms] = useState(formOf());
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<unknown>();
  const [created, setCreated] = useState<string>();
  const submit = async () => {
    setProblem(undefined);
    setCreated(undefined);
    let body: CreateProgramBody;
    try {
      body = { name: name.trim(), symbol: symbol.trim(), kind, phoneCountry, ...termsBody(kind, terms, "default"), ...(redemptionRate.trim() ? { redemptionRate: redemptionRate.trim() } : {}) };
    } catch (error) {
      setProblem(new Error(t("operator.programs.badJson", { problem: (error as Error).message })));
      return;
    }
    setBusy(true);
    try {
      const program = await api.createProgram(body, { apiKey: props.memberKey });
      setCreated(program.name);
      props.onCreated(program);
    } catch (error) {
      setProblem(error);
    } finally {
      setBusy(false);
    }
  };
  const text = (e: Event) => (e.currentTarget as HTMLInputElement).value;
  return (
    <Card title={t("operator.programs.create")}>
      <form
        onSubmit={(event) => {
          event.preventDefault();
          void submit();
        }}
      >
        <div class="filters">
          <label>
            {t("operator.name")}
            <input value={name} onInput={(e) => setName(text(e))} />
          </label>
          <label>
            {t("operator.programs.symbol")}
            <input value={symbol} onInput={(e) => setSymbol(text(e).toUpperCase())} />
          </label>
          <label>
            {t("operator.kind")}
            <select aria-label={t("operator.kind")} value={kind} onChange={(e) => setKind((e.currentTarget as HTMLSelectElement).value as Program["kind"])}>
              <option value="recycling">{t("operator.programs.kind.recycling")}</option>
              <option value="loyalty">{t("operator.programs.kind.loyalty")}</option>
            </select>
          </label>
          <label>
            {t("operator.programs.country")}
            <select value={phoneCountry} onChange={(e) => setPhoneCountry((e.currentTarget as HTMLSelectElement).value)}>
              {phoneCountries(language.value).map((country) => (
                <option value={country.code}>{country.name}</option>
              ))}
            </select>
          </label>
          <label>
            {t("operator.programs.redemptionRate")}
            <input inputMode="decimal" value={redemptionRate} onInput={(e) => setRedemptionRate(text(e))} />
          </label>
        </div>
        <TermsFields kind={kind} form={terms} onChange={setTerms} />
        {problem !== undefined && <Problem error={problem} />}
        {created && (
          <p class="notice" role="status">
            {t("operator.programs.created", { name: created })}
          </p>
        )}
        <button type="submit" disabled={busy || name.trim() === "" || symbol.trim() === ""}>
          {busy ? t("operator.programs.sending") : t("operator.programs.createButton")}
        </button>
      </form>
    </Card>
  );
}
