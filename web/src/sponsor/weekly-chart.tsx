import { language, t } from "../i18n.js";
import { formatDecimal } from "../../../services/core/amounts.js";
import { formatAmount } from "../ui/format.js";
import { weeklyKg, type Report } from "./flows.js";
import { materialName } from "../ui/material.js";

/** Colour per material, in the order materials are listed (alphabetical): distinct for the usual few. */
const PALETTE = ["#0f766e", "#d97706", "#2563eb", "#9333ea", "#be123c", "#4d7c0f", "#0891b2", "#57534e"];
/** Grams as kg, grouped as the page's language writes numbers ("2.300,5" in Indonesian). */
const kg = (grams: number) => formatAmount(formatDecimal(BigInt(Math.round(grams)), 3), 3, language.value);

const WIDTH = 340;
const PLOT = { top: 16, bottom: 22, left: 4, height: 120 };

/** kg collected per ISO week, stacked by material, with a legend carrying each material's total. */
export function WeeklyKgChart(props: { report: Report }) {
  const data = weeklyKg(props.report);
  if (data.weeks.length === 0) return <p class="muted">{t("sponsor.kg.empty")}</p>;
  const totals = data.weeks.map((_, w) => data.grams[w]!.reduce((s, g) => s + g, 0));
  const max = Math.max(...totals, 1);
  const slot = (WIDTH - PLOT.left * 2) / data.weeks.length;
  const bar = Math.min(44, slot * 0.7);
  // Every n-th week labelled, so labels (≈ 34 units each) never touch.
  const every = Math.ceil(36 / slot);
  const height = PLOT.top + PLOT.height + PLOT.bottom;
  const perMaterial = data.materials.map((_, m) => data.grams.reduce((s, week) => s + week[m]!, 0));
  return (
    <>
      <svg class="weekly" role="img" aria-label={t("sponsor.kg.aria", { kg: kg(totals.reduce((a, b) => a + b, 0)), weeks: data.weeks.length })} viewBox={`0 0 ${WIDTH} ${height}`} width="100%">
        <line x1="0" x2={WIDTH} y1={PLOT.top + PLOT.height} y2={PLOT.top + PLOT.height} stroke="#d5dfdc" />
        {data.weeks.map((week, w) => {
          const x = PLOT.left + slot * w + (slot - bar) / 2;
          let y = PLOT.top + PLOT.height;
          return (
            <g data-week={week}>
              {data.materials.map((material, m) => {
                const h = (data.grams[w]![m]! / max) * PLOT.height;
                y -= h;
                return h > 0 ? <rect x={x} y={y} width={bar} height={h} fill={PALETTE[m % PALETTE.length]} data-material={material} /> : null;
              })}
              {slot >= 34 && (
                <text x={x + bar / 2} y={y - 4} text-anchor="middle" class="weekly-total">
                  {kg(totals[w]!)}
                </text>
              )}
              {w % every === 0 && (
                <text x={x + bar / 2} y={height - 6} text-anchor="middle" class="weekly-week">
                  {week.slice(5)}
                </text>
              )}
            </g>
          );
        })}
      </svg>
      <ul class="legend">
        {data.materials.map((material, m) => (
          <li>
            <span class="swatch" style={{ background: PALETTE[m % PALETTE.length] }} />
            {materialName(material)}: {t("sponsor.kg.amount", { kg: kg(perMaterial[m]!) })}
          </li>
        ))}
      </ul>
      {data.reversedGrams > 0 && <p class="hint">{t("sponsor.kg.reversed", { kg: kg(data.reversedGrams) })}</p>}
    </>
  );
}
