import { describe, expect, it } from "vitest";
import { bumped, feesFromHistory, firstFees, gweiToWei, replacementFees, reserveFor } from "../../../services/core/fees.js";

const GWEI = 1_000_000_000n;
const history = (baseFees: bigint[], rewards: bigint[], ratios: number[]) => ({ baseFeePerGas: baseFees, reward: rewards, gasUsedRatio: ratios });

describe("fees from the node's fee history", () => {
  it("offers twice the next base fee plus the median tip of busy blocks", () => {
    const market = feesFromHistory(history([10n * GWEI, 11n * GWEI, 12n * GWEI, 13n * GWEI], [1n * GWEI, 3n * GWEI, 2n * GWEI], [0.5, 0.9, 0.7]), 7n);
    expect(market.offer).toEqual({ maxFeePerGas: 26n * GWEI + 2n * GWEI, maxPriorityFeePerGas: 2n * GWEI });
    expect(market.needed).toBe(15n * GWEI);
  });

  it("leaves empty blocks out of the tip and falls back to the node's suggestion when all are empty", () => {
    expect(feesFromHistory(history([5n, 5n, 5n], [0n, 9n], [0, 0.2]), 1n).offer.maxPriorityFeePerGas).toBe(9n);
    expect(feesFromHistory(history([5n, 5n, 5n], [0n, 0n], [0, 0]), 1n * GWEI).offer).toEqual({
      maxFeePerGas: 10n + GWEI,
      maxPriorityFeePerGas: GWEI,
    });
  });

  it("refuses a history without base fees", () => {
    expect(() => feesFromHistory(history([], [], []), 1n)).toThrow(/base fees/);
  });
});

describe("the ceiling", () => {
  const market = { offer: { maxFeePerGas: 50n * GWEI, maxPriorityFeePerGas: 2n * GWEI }, needed: 26n * GWEI };

  it("sends the market's offer with no ceiling, and cuts the max fee to a ceiling that still covers inclusion", () => {
    expect(firstFees(market, undefined)).toEqual({ fees: market.offer });
    expect(firstFees(market, 30n * GWEI)).toEqual({ fees: { maxFeePerGas: 30n * GWEI, maxPriorityFeePerGas: 2n * GWEI } });
    expect(firstFees(market, 26n * GWEI)).toEqual({ fees: { maxFeePerGas: 26n * GWEI, maxPriorityFeePerGas: 2n * GWEI } });
  });

  it("blocks a send when inclusion alone needs more than the ceiling", () => {
    expect(firstFees(market, 26n * GWEI - 1n)).toEqual({ blocked: { needed: 26n * GWEI, ceiling: 26n * GWEI - 1n } });
  });
});

describe("replacement fees", () => {
  const previous = { maxFeePerGas: 20n * GWEI, maxPriorityFeePerGas: 1n * GWEI };
  const calm = { offer: { maxFeePerGas: 4n * GWEI, maxPriorityFeePerGas: GWEI / 2n }, needed: 2n * GWEI };

  it("raises both fees by at least 12.5 %, rounding up", () => {
    expect(bumped(1000n)).toBe(1125n);
    expect(bumped(1001n)).toBe(1127n); // 1001 × 1.125 = 1126.125: a wei more, never less
    expect(replacementFees(previous, calm, undefined)).toEqual({ fees: { maxFeePerGas: 22_500_000_000n, maxPriorityFeePerGas: 1_125_000_000n } });
  });

  it("follows the market when it asks more than the minimum bump", () => {
    const spike = { offer: { maxFeePerGas: 200n * GWEI, maxPriorityFeePerGas: 3n * GWEI }, needed: 103n * GWEI };
    expect(replacementFees(previous, spike, undefined)).toEqual({ fees: spike.offer });
  });

  it("caps the max fee at the ceiling, and blocks when the minimum bump or inclusion is above it", () => {
    const spike = { offer: { maxFeePerGas: 200n * GWEI, maxPriorityFeePerGas: 3n * GWEI }, needed: 103n * GWEI };
    expect(replacementFees(previous, spike, 150n * GWEI)).toEqual({ fees: { maxFeePerGas: 150n * GWEI, maxPriorityFeePerGas: 3n * GWEI } });
    expect(replacementFees(previous, spike, 100n * GWEI)).toEqual({ blocked: { needed: 103n * GWEI, ceiling: 100n * GWEI } });
    expect(replacementFees(previous, calm, 22n * GWEI)).toEqual({ blocked: { needed: 22_500_000_000n, ceiling: 22n * GWEI } });
  });
});

describe("the signer's reserve and gwei", () => {
  it("prices N more transactions at the max fee", () => {
    expect(reserveFor(10, 100_000n, { maxFeePerGas: 2n * GWEI, maxPriorityFeePerGas: 1n })).toBe(2_000_000n * GWEI);
  });

  it("reads decimal gwei and refuses anything else", () => {
    expect(gweiToWei("30")).toBe(30n * GWEI);
    expect(gweiToWei("0.05")).toBe(50_000_000n);
    expect(gweiToWei("0.000000001")).toBe(1n);
    for (const bad of ["-1", "1e9", "0.0000000001", "abc", ""]) expect(gweiToWei(bad)).toBeUndefined();
  });
});
