import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { screenBatch } from "../../../services/core/batch-screen.js";

/**
 * A stand-in for a token's mintBatch, as the node runs it: credits in order into a supply that reverts past
 * `cap`, naming the credit it stopped at. The screen only ever sees its answers, as it sees the node's.
 */
function supply(cap: bigint, start = 0n) {
  const asked: number[] = [];
  const refuses = async (credits: bigint[]) => {
    asked.push(credits.length);
    let total = start;
    for (const credit of credits) {
      total += credit;
      if (total > cap) return `overflow at ${credit}`;
    }
    return undefined;
  };
  return { refuses, asked };
}

/** What a batch should come to, one credit at a time: each that fits is kept, each that does not is refused. */
function oneByOne(credits: bigint[], cap: bigint) {
  let total = 0n;
  const accepted: bigint[] = [];
  const refused: bigint[] = [];
  for (const credit of credits) {
    if (total + credit > cap) refused.push(credit);
    else (total += credit), accepted.push(credit);
  }
  return { accepted, refused };
}

describe("screening a batch the chain would refuse", () => {
  it("asks once when the batch goes through", async () => {
    const { refuses, asked } = supply(100n);
    const screened = await screenBatch([1n, 2n, 3n], refuses, 8);
    expect(screened).toEqual({ accepted: [1n, 2n, 3n], refused: [], unchecked: [], calls: 1 });
    expect(asked).toEqual([3]);
  });

  it("finds the one credit that overflows among 500 in log2(n) halvings, and keeps the others in order", async () => {
    const credits = Array.from({ length: 500 }, (_, i) => BigInt(i + 1));
    credits[321] = 10n ** 70n;
    const { refuses } = supply(10n ** 69n);
    const screened = await screenBatch(credits, refuses, 8);
    expect(screened.refused).toEqual([{ item: 10n ** 70n, refusal: `overflow at ${10n ** 70n}` }]);
    expect(screened.accepted).toEqual(credits.filter((_, i) => i !== 321));
    // The whole batch, 9 halvings (ceil(log2 500)), and the remainder once more.
    expect(screened.calls).toBeLessThanOrEqual(1 + 9 + 1);
  });

  it("refuses the credit that tips the supply over, not the ones before it that fit", async () => {
    const { refuses } = supply(2n ** 256n - 1n);
    const screened = await screenBatch([2n ** 255n, 2n ** 255n, 7n], refuses, 8);
    expect(screened.accepted).toEqual([2n ** 255n, 7n]);
    expect(screened.refused.map((r) => r.item)).toEqual([2n ** 255n]);
  });

  it("stops after maxRefused refusals and leaves the rest unchecked, sending only what it checked", async () => {
    const credits = [1n, 50n, 2n, 50n, 3n, 50n, 4n];
    const screened = await screenBatch(credits, supply(10n).refuses, 2);
    expect(screened).toMatchObject({ accepted: [1n, 2n], refused: [{ item: 50n }, { item: 50n }], unchecked: [3n, 50n, 4n] });
  });

  it("comes to what crediting one at a time comes to, within its bound of calls", async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.bigInt({ min: 0n, max: 40n }), { minLength: 1, maxLength: 64 }), fc.bigInt({ min: 0n, max: 200n }), async (credits, cap) => {
        const maxRefused = 1_000;
        const screened = await screenBatch(credits, supply(cap).refuses, maxRefused);
        const expected = oneByOne(credits, cap);
        expect(screened.accepted).toEqual(expected.accepted);
        expect(screened.refused.map((r) => r.item)).toEqual(expected.refused);
        const levels = Math.ceil(Math.log2(credits.length)) + 1;
        expect(screened.calls).toBeLessThanOrEqual(1 + expected.refused.length * levels);
      }),
    );
  });
});
