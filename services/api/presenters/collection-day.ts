import { formatTokenAmount } from "../../core/amounts.js";
import type { Material } from "../../core/materials.js";
import type { MaterialTotal } from "../../db/collection-day.js";
import type { CollectionDay } from "../../flows/read-collection-day.js";
import { presentEvent } from "./events.js";

const presentTotal = (total: Omit<MaterialTotal, "material">) => ({
  count: total.count,
  grams: total.grams,
  tokens: formatTokenAmount(total.credit),
});

/** The day as the API answers it: instants in ISO 8601, token amounts as decimal strings, the day's sums whole. */
export function presentCollectionDay(found: CollectionDay) {
  const all = found.totals.reduce((sum, t) => ({ count: sum.count + t.count, grams: sum.grams + t.grams, credit: sum.credit + t.credit }), {
    count: 0,
    grams: 0,
    credit: 0n,
  });
  return {
    day: { date: found.day.date, timeZone: found.day.timeZone, from: found.day.from.toISOString(), until: found.day.until.toISOString() },
    totals: { ...presentTotal(all), materials: found.totals.map((t) => ({ material: t.material as Material, ...presentTotal(t) })) },
    items: found.items.map((item) => ({ ...presentEvent(item), collectorName: item.collectorName })),
    next: found.next,
  };
}
