import { language, t } from "../i18n.js";
import type { CollectionDay, PublicProgram } from "../../../services/api/client/types.js";
import { formatCount, formatMoney, formatWeekday, formatWeight } from "../ui/format.js";
import { materialName } from "../ui/material.js";

/** "1 drop-off", "38 drop-offs": the words the language uses for the count. */
export function dropOffCount(count: number): string {
  const form = new Intl.PluralRules(language.value).select(count) === "one" ? "one" : "other";
  return t(`point.day.count.${form}`, { count: formatCount(count, language.value) });
}

/**
 * The day's totals at the top of the list, as the API summed them over every drop-off of the day (not the rows
 * shown): the count, kilograms and tokens in all, then by material.
 */
export function DayTotals(props: { day: Pick<CollectionDay, "day" | "totals">; program: PublicProgram }) {
  const { day, totals } = props.day;
  const tokens = (amount: string) => formatMoney(amount, props.program.symbol, 2, language.value);
  const date = formatWeekday(day.date, language.value);
  return (
    <div class="day-totals" data-date={day.date} data-time-zone={day.timeZone}>
      <p class="muted">{t("point.day.date", { date, zone: day.timeZone })}</p>
      <p class="day-sum">
        <strong>{dropOffCount(totals.count)}</strong> · {formatWeight(totals.grams, language.value)} · {tokens(totals.tokens)}
      </p>
      {totals.materials.length > 0 && (
        <table aria-label={t("point.day.byMaterial")}>
          <tbody>
            {totals.materials.map((m) => (
              <tr data-material={m.material}>
                <th scope="row">{materialName(m.material)}</th>
                <td class="num">{formatCount(m.count, language.value)}</td>
                <td class="num">{formatWeight(m.grams, language.value)}</td>
                <td class="num">{tokens(m.tokens)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}
