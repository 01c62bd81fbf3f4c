import { MATERIALS } from "../../../services/core/materials.js";
import type { Program, TermsChangeBody } from "../../../services/api/client/types.js";
import { t } from "../i18n.js";
import { materialName } from "../ui/material.js";

const CAPS = ["perEvent", "perBeneficiaryDaily", "perIssuerDaily"] as const;
type Kind = Program["kind"];

/** A program's terms as the form holds them: text as typed, amounts in token units. */
export interface TermsForm {
  rates: Record<string, string>;
  rules: string;
  caps: Record<(typeof CAPS)[number], string>;
  bonusShareBps: string;
}

export function formOf(program?: Program): TermsForm {
  const caps = program?.caps ?? {};
  return {
    rates: Object.fromEntries(Object.entries(program?.rates ?? {}).map(([m, rate]) => [m, rate ?? ""])),
    rules: JSON.stringify(program?.rules ?? { events: { purchase: { fixed: "1" } }, campaigns: [] }, null, 2),
    caps: { perEvent: caps.perEvent ?? "", perBeneficiaryDaily: caps.perBeneficiaryDaily ?? "", perIssuerDaily: caps.perIssuerDaily ?? "" },
    bonusShareBps: String(program?.bonusShareBps ?? 0),
  };
}

/**
 * The request's terms from the form. A cap left empty is none; for `perIssuerDaily` on creation it is left out
 * instead, so a recycling program gets its default bound. Rules that are not JSON throw a SyntaxError.
 */
export function termsBody(kind: Kind, form: TermsForm, emptyIssuerCap: "none" | "default"): TermsChangeBody {
  const caps: Record<string, string | null> = {};
  for (const cap of CAPS) {
    const value = form.caps[cap].trim();
    if (value !== "") caps[cap] = value;
    else if (cap === "perIssuerDaily" && emptyIssuerCap === "none") caps[cap] = null;
  }
  if (kind === "loyalty") return { rules: JSON.parse(form.rules) as TermsChangeBody["rules"], caps };
  const rates = Object.fromEntries(Object.entries(form.rates).filter(([, rate]) => rate.trim() !== "").map(([m, rate]) => [m, rate.trim()]));
  return { rates, caps, bonusShareBps: Number(form.bonusShareBps || "0") };
}

/** The fields of a program's terms: rates (recycling) or rules with campaigns (loyalty), caps, bonus share. */
export function TermsFields(props: { kind: Kind; form: TermsForm; onChange: (form: TermsForm) => void }) {
  const { form, onChange } = props;
  const text = (e: Event) => (e.currentTarget as HTMLInputElement | HTMLTextAreaElement).value;
  return (
    <>
      {props.kind === "recycling" ? (
        <fieldset class="terms-grid">
          <legend>{t("operator.programs.rates")}</legend>
          {MATERIALS.map((material) => (
            <label>
              {materialName(material)}
              <input inputMode="decimal" value={form.rates[material] ?? ""} onInput={(e) => onChange({ ...form, rates: { ...form.rates, [material]: text(e) } })} />
            </label>
          ))}
        </fieldset>
      ) : (
        <label>
          {t("operator.programs.rules")}
          <textarea rows={8} value={form.rules} onInput={(e) => onChange({ ...form, rules: text(e) })} />
        </label>
      )}
      <fieldset class="terms-grid">
        <legend>{t("operator.programs.caps")}</legend>
        {CAPS.map((cap) => (
          <label>
            {t(`operator.programs.cap.${cap}`)}
            <input inputMode="decimal" value={form.caps[cap]} onInput={(e) => onChange({ ...form, caps: { ...form.caps, [cap]: text(e) } })} />
          </label>
        ))}
      </fieldset>
      {props.kind === "recycling" && (
        <label>
          {t("operator.programs.bonusShareBps")}
          <input inputMode="numeric" value={form.bonusShareBps} onInput={(e) => onChange({ ...form, bonusShareBps: text(e) })} />
        </label>
      )}
    </>
  );
}
