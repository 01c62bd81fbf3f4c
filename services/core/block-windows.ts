/**
 * The arithmetic of reading a span of blocks in eth_getLogs windows: nodes cap one call's range (often at
 * 10,000 blocks or fewer) or its answer's size, so a span longer than that is read a window at a time.
 */

/** CHAIN_LOG_RANGE's default: the range most providers (Infura, QuickNode, Alchemy's paid plans) answer. */
export const DEFAULT_LOG_RANGE = 10_000;

/** Blocks `from` to `to`, both included. */
export interface BlockSpan {
  from: number;
  to: number;
}

/** "oldest-first" for a full scan in order; "newest-first" to find the latest log and stop there. */
export type ScanOrder = "oldest-first" | "newest-first";

/**
 * The window of at most `size` blocks read after `previous` (the first one without it), or undefined when
 * `previous` reached the span's end. A window never leaves the span; an empty span (from > to) has none.
 */
export function nextWindow(span: BlockSpan, size: number, order: ScanOrder, previous?: BlockSpan): BlockSpan | undefined {
  if (!(Number.isSafeInteger(size) && size >= 1)) throw new Error(`a log window is a whole number of blocks, at least 1 (got ${size})`);
  if (order === "oldest-first") {
    const from = previous ? previous.to + 1 : span.from;
    return from > span.to ? undefined : { from, to: Math.min(from + size - 1, span.to) };
  }
  const to = previous ? previous.from - 1 : span.to;
  return to < span.from ? undefined : { from: Math.max(to - size + 1, span.from), to };
}

/** The window to try after a node refused one of `size` blocks: half as many, never below `floor`; undefined at it. */
export function narrowerWindow(size: number, floor: number): number | undefined {
  return size <= floor ? undefined : Math.max(floor, Math.floor(size / 2));
}
