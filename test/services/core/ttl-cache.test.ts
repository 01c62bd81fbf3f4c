import { describe, expect, it } from "vitest";
import { TtlCache } from "../../../services/core/ttl-cache.js";

describe("TtlCache", () => {
  it("serves a found value until it expires, then loads it again", async () => {
    const cache = new TtlCache<string, number>(1_000);
    let loads = 0;
    const load = async () => ++loads;
    expect(await cache.get("a", load, 0)).toBe(1);
    expect(await cache.get("a", load, 999)).toBe(1);
    expect(await cache.get("a", load, 1_000)).toBe(2);
  });

  it("never caches a miss, so what appears is seen at once", async () => {
    const cache = new TtlCache<string, number>(60_000);
    let value: number | undefined;
    expect(await cache.get("a", async () => value, 0)).toBeUndefined();
    value = 7;
    expect(await cache.get("a", async () => value, 1)).toBe(7);
  });

  it("stays within its size by dropping the oldest entry", async () => {
    const cache = new TtlCache<number, number>(60_000, 2);
    let loads = 0;
    for (const key of [1, 2, 3]) await cache.get(key, async () => (loads++, key), 0);
    await cache.get(1, async () => (loads++, 1), 0);
    expect(loads).toBe(4);
  });
});
