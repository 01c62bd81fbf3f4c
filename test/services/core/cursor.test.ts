import { describe, expect, it } from "vitest";
import { cursorBound, decodeCursor, encodeCursor, pageOf } from "../../../services/core/cursor.js";
import { RecircleError } from "../../../services/core/errors.js";

describe("list cursors", () => {
  it("round-trips an id through an opaque token", () => {
    for (const id of [1n, 42n, 9_007_199_254_740_993n, (1n << 63n) - 1n]) {
      const cursor = encodeCursor(id);
      expect(cursor).not.toContain(String(id));
      expect(decodeCursor(cursor)).toBe(id);
    }
  });

  it("refuses a cursor it did not make with a 400 RC_BAD_CURSOR", () => {
    const forged = (text: string) => Buffer.from(text).toString("base64url");
    for (const bad of ["", "42", "not base64!", forged("c1:0"), forged("c1:-1"), forged("c1:01"), forged("c1:1e3"), forged("c2:5"), forged(`c1:${1n << 63n}`), "x".repeat(65)]) {
      let error: unknown;
      try {
        decodeCursor(bad);
      } catch (e) {
        error = e;
      }
      expect(error, bad).toBeInstanceOf(RecircleError);
      expect((error as RecircleError).statusCode).toBe(400);
      expect((error as RecircleError).code).toBe("RC_BAD_CURSOR");
    }
  });

  it("pages limit + 1 rows, with a next cursor only when more remain", () => {
    const rows = [5n, 4n, 3n].map((id) => ({ id }));
    const first = pageOf(rows, 2);
    expect(first.items.map((r) => r.id)).toEqual([5n, 4n]);
    expect(decodeCursor(first.next!)).toBe(4n);
    expect(pageOf(rows, 3)).toEqual({ items: rows, next: null });
    expect(cursorBound(undefined)).toBe((1n << 63n) - 1n);
    expect(cursorBound(first.next!)).toBe(4n);
  });
});
