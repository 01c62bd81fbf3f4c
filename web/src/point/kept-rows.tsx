import { language, t } from "../i18n.js";
import type { PublicProgram } from "../../../services/api/client/types.js";
import { maskPhone } from "../../../services/core/phone-number.js";
import { formatWeight } from "../ui/format.js";
import { materialName } from "../ui/material.js";
import { shortHash } from "../ui/status-steps.js";
import type { Kept } from "./outbox.js";
import { refusalWords } from "../ui/refusal.js";
import type { Outbox } from "./use-outbox.js";

/** This program's kept drop-offs (and any collector the API refused), oldest first, as rows of the day's list. */
export const keptRowsOf = (items: Kept[] | undefined, program: PublicProgram) =>
  (items ?? []).filter((item) => (item.kind === "drop-off" ? item.body.programId === program.id : item.refused !== undefined));

/** The wallet a kept item is for, if it is for one. */
const addressOf = (item: Kept) => (item.kind === "drop-off" ? item.body.collector : item.kind === "collector" ? item.address : undefined);
const phoneOf = (item: Kept) => (item.kind === "drop-off" ? item.body.phone : item.kind === "phone" ? item.phone : undefined);

/** The collector in short: a wallet's first and last digits, or a phone number masked as the API masks it. */
function whoOf(item: Kept): string {
  const phone = phoneOf(item);
  return phone === undefined ? shortHash(addressOf(item) ?? "") : maskPhone(phone);
}

/**
 * A row for what is still on this phone: "kept on this phone" until the API accepts it (then it is one of the
 * day's drop-offs, with its minting status), or why the API refused it, with the way to take it off the list.
 */
export function KeptRow(props: { item: Kept; program: PublicProgram; outbox: Outbox }) {
  const { item } = props;
  const time = new Intl.DateTimeFormat(language.value, { hour: "2-digit", minute: "2-digit" });
  const status = item.refused ? "refused" : "kept";
  return (
    <li data-kept={item.id}>
      <div class="day-row">
        <span class="day-time">{time.format(new Date(item.keptAt))}</span>
        <span class="day-who" title={addressOf(item)}>
          {whoOf(item)}
        </span>
        <span class="day-what">
          {item.kind === "drop-off" ? `${materialName(item.body.material)} ${formatWeight(item.body.grams, language.value)}` : t("point.kept.collector")}
        </span>
      </div>
      <div class={`status status-${status}`} role="status" data-status={status}>
        <span class="status-off">{item.refused ? t("point.kept.refused") : t("point.kept.waiting")}</span>
        {item.refused && <span class="status-reason">{refusalWords(item.refused.code)}</span>}
      </div>
      {item.refused && (
        <button type="button" class="secondary" onClick={() => void props.outbox.forget(item)}>
          {t("point.kept.remove")}
        </button>
      )}
    </li>
  );
}
