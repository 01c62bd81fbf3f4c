/**
 * A small seeded generator (mulberry32): fast and good enough to pick cases, faults and a simulated day's
 * choices. The same seed gives the same run, so a failure is replayed with its `--seed`.
 */
export function prng(seed: number) {
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (max: number) => Math.floor(next() * max);
  return {
    /** A float in [0, 1). */
    next,
    /** An integer in [0, max). */
    int,
    pick: <T>(items: readonly T[]): T => items[int(items.length)] as T,
    hex: (length: number) => Array.from({ length }, () => "0123456789abcdef"[int(16)]).join(""),
    /** Shuffles `items` in place (Fisher-Yates) and returns it. */
    shuffle<T>(items: T[]): T[] {
      for (let i = items.length - 1; i > 0; i--) {
        const j = int(i + 1);
        [items[i], items[j]] = [items[j] as T, items[i] as T];
      }
      return items;
    },
  };
}

export type Random = ReturnType<typeof prng>;
