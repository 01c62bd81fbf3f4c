import { useState } from "preact/hooks";
import type { CountryCode } from "libphonenumber-js";
import { parsePhone } from "../../../services/core/phone-number.js";
import { t } from "../i18n.js";

/**
 * A phone number typed at the counter, read as the API reads it (services/core/phone-number.ts): local
 * (`0812 3456 7890`, in `country`, the program's) or international. An impossible number is said at once, even
 * offline, instead of being kept and refused later. `onNumber` gets the E.164 form: the API is sent no local number.
 */
export function PhoneEntry(props: { label: string; action: string; country: string; initial?: string; busy?: boolean; onNumber: (e164: string) => void }) {
  const [typed, setTyped] = useState(props.initial ?? "");
  const [invalid, setInvalid] = useState(false);
  const submit = (event: Event) => {
    event.preventDefault();
    const e164 = parsePhone(typed, props.country as CountryCode);
    setInvalid(e164 === undefined);
    if (e164 !== undefined) props.onNumber(e164);
  };
  return (
    <form class="phone-entry" onSubmit={submit}>
      <label>
        {props.label}
        <input
          type="tel"
          inputMode="tel"
          autocomplete="off"
          maxLength={32}
          placeholder="0812 3456 7890"
          value={typed}
          aria-invalid={invalid}
          onInput={(e) => (setTyped((e.currentTarget as HTMLInputElement).value), setInvalid(false))}
        />
      </label>
      {invalid && (
        <p class="problem" role="alert">
          {t("point.phone.invalid")}
        </p>
      )}
      <button type="submit" class="secondary" disabled={props.busy || typed.trim() === ""}>
        {props.action}
      </button>
    </form>
  );
}
