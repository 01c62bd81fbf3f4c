import { describe, expect, it } from "vitest";
import { PollTimeout, pollUntil } from "../../../harness/lib/time.js";
import { prng } from "../../../harness/lib/random.js";

describe("pollUntil", () => {
  it("returns the first probed value that passes", async () => {
    let calls = 0;
    const value = await pollUntil(async () => ++calls, (n) => n === 3, { intervalMs: 1 });
    expect(value).toBe(3);
  });

  it("throws a PollTimeout carrying the last value and the caller's message", async () => {
    const waiting = pollUntil(async () => 7, () => false, { timeoutMs: 20, intervalMs: 5, message: (last) => `stuck at ${last}` });
    await expect(waiting).rejects.toThrow(PollTimeout);
    await expect(waiting).rejects.toMatchObject({ message: "stuck at 7", last: 7 });
  });

  it("ends the wait with the probe's own error", async () => {
    await expect(pollUntil(async () => { throw new Error("exited"); }, () => true)).rejects.toThrow("exited");
  });
});

describe("prng", () => {
  it("repeats its sequence for the same seed", () => {
    const a = prng(42);
    const b = prng(42);
    expect(Array.from({ length: 5 }, () => a.int(1000))).toEqual(Array.from({ length: 5 }, () => b.int(1000)));
  });
});
