import { describe, expect, it } from "vitest";
import { type BlockSpan, narrowerWindow, nextWindow, type ScanOrder } from "../../../services/core/block-windows.js";

/** Every window of `span` in `order`, as a read that never meets a refusal asks them. */
function windows(span: BlockSpan, size: number, order: ScanOrder): BlockSpan[] {
  const all: BlockSpan[] = [];
  for (let window = nextWindow(span, size, order); window; window = nextWindow(span, size, order, window)) all.push(window);
  return all;
}

describe("nextWindow", () => {
  it("covers a span oldest first in windows of the size, the last one short", () => {
    expect(windows({ from: 100, to: 124 }, 10, "oldest-first")).toEqual([
      { from: 100, to: 109 },
      { from: 110, to: 119 },
      { from: 120, to: 124 },
    ]);
  });

  it("covers it newest first from the head down, the oldest window short", () => {
    expect(windows({ from: 100, to: 124 }, 10, "newest-first")).toEqual([
      { from: 115, to: 124 },
      { from: 105, to: 114 },
      { from: 100, to: 104 },
    ]);
  });

  it("reads a span shorter than a window, or of one block, in one window", () => {
    expect(windows({ from: 7, to: 9 }, 10_000, "oldest-first")).toEqual([{ from: 7, to: 9 }]);
    expect(windows({ from: 7, to: 7 }, 10_000, "newest-first")).toEqual([{ from: 7, to: 7 }]);
    expect(windows({ from: 0, to: 9_999 }, 10_000, "oldest-first")).toEqual([{ from: 0, to: 9_999 }]);
  });

  it("has no window for an empty span (a start block above the head)", () => {
    expect(nextWindow({ from: 10, to: 9 }, 5, "oldest-first")).toBeUndefined();
    expect(nextWindow({ from: 10, to: 9 }, 5, "newest-first")).toBeUndefined();
  });

  it("goes on from the previous window with a size changed midway (after a refusal), never overlapping", () => {
    const span = { from: 0, to: 99 };
    expect(nextWindow(span, 20, "oldest-first", { from: 0, to: 49 })).toEqual({ from: 50, to: 69 });
    expect(nextWindow(span, 20, "newest-first", { from: 50, to: 99 })).toEqual({ from: 30, to: 49 });
  });

  it.each([0, -1, 2.5, Number.NaN])("refuses a window of %s blocks", (size) => {
    expect(() => nextWindow({ from: 0, to: 9 }, size, "oldest-first")).toThrow(/whole number of blocks/);
  });
});

describe("narrowerWindow", () => {
  it("halves a refused window, rounding down, never below the floor, and gives up at it", () => {
    expect(narrowerWindow(10_000, 1)).toBe(5_000);
    expect(narrowerWindow(5, 1)).toBe(2);
    expect(narrowerWindow(3, 2)).toBe(2);
    expect(narrowerWindow(2, 1)).toBe(1);
    expect(narrowerWindow(1, 1)).toBeUndefined();
  });
});
