import type { TermsChange } from "../../../services/api/client/types.js";

type Terms = TermsChange["before"];

/**
 * What a change of terms changed, one line each: a rate, a cap, the bonus share as `name: before → after`
 * ("–" where there was none), and the loyalty rules as one line when any rule or campaign differs.
 */
export function termsDiff(before: Terms, after: Terms): string[] {
  const lines: string[] = [];
  const compare = (prefix: string, a: Record<string, string | undefined>, b: Record<string, string | undefined>) => {
    for (const key of [...new Set([...Object.keys(a), ...Object.keys(b)])].sort()) {
      if (a[key] !== b[key]) lines.push(`${prefix}${key}: ${a[key] ?? "–"} → ${b[key] ?? "–"}`);
    }
  };
  compare("", before.rates, after.rates);
  compare("", before.caps, after.caps);
  if (before.bonusShareBps !== after.bonusShareBps) lines.push(`bonusShareBps: ${before.bonusShareBps} → ${after.bonusShareBps}`);
  if (JSON.stringify(sorted(before.rules)) !== JSON.stringify(sorted(after.rules))) lines.push(`rules: ${JSON.stringify(after.rules)}`);
  return lines;
}

/** Keys in order, so jsonb's own order of keys is no difference. */
function sorted(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sorted);
  if (value === null || typeof value !== "object") return value;
  return Object.fromEntries(Object.keys(value).sort().map((key) => [key, sorted((value as Record<string, unknown>)[key])]));
}
