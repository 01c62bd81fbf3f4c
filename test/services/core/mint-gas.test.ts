import { describe, expect, it } from "vitest";
import { MINT_GAS, type MintCredit, packMintBatch } from "../../../services/core/mint-gas.js";

const CAP = 16_700_000n;
const address = (n: number) => `0x${n.toString(16).padStart(40, "0")}`;
/** `count` credits with consecutive ids from `firstId`, each to its own beneficiary from `firstHolder`. */
const credits = (count: number, firstId = 0n, firstHolder = 1): MintCredit[] =>
  Array.from({ length: count }, (_, i) => ({ id: firstId + BigInt(i), beneficiary: address(firstHolder + i) }));
const nobody = () => false;
const everybody = () => true;

describe("packing a mint batch by gas", () => {
  it("takes every credit that fits, with the base, one fresh holder each and one new bitmap word per 256 ids", () => {
    expect(packMintBatch(credits(300), nobody, CAP)).toEqual({
      count: 300,
      gas: MINT_GAS.base + 300n * MINT_GAS.freshHolder + 2n * MINT_GAS.newIdWord,
    });
  });

  it("cuts fresh holders at about 560 under the cap, and holders at about 1,370", () => {
    const fresh = packMintBatch(credits(1_500), nobody, CAP);
    const held = packMintBatch(credits(1_500), everybody, CAP);
    expect(fresh.count).toBeGreaterThan(550);
    expect(fresh.count).toBeLessThan(570);
    expect(held.count).toBeGreaterThan(1_350);
    expect(held.count).toBeLessThan(1_390);
    // Close to the cap: one more credit of the same kind would have gone over it.
    for (const [packed, perCredit] of [[fresh, MINT_GAS.freshHolder], [held, MINT_GAS.existingHolder]] as const) {
      expect(packed.gas).toBeLessThanOrEqual(CAP);
      expect(packed.gas + perCredit).toBeGreaterThan(CAP);
    }
  });

  it("counts a beneficiary's next credits in the batch at the repeat's cost, fresh holder or not", () => {
    const twice = [...credits(1, 0n, 7), ...credits(1, 1n, 7)];
    expect(packMintBatch(twice, nobody, CAP).gas).toBe(MINT_GAS.base + MINT_GAS.newIdWord + MINT_GAS.freshHolder + MINT_GAS.repeatInBatch);
    expect(packMintBatch(twice, everybody, CAP).gas).toBe(MINT_GAS.base + MINT_GAS.newIdWord + MINT_GAS.existingHolder + MINT_GAS.repeatInBatch);
  });

  it("asks about holders in lower case, whatever case the address comes in", () => {
    const asked: string[] = [];
    packMintBatch([{ id: 1n, beneficiary: "0xAbCdEf0000000000000000000000000000000001" }], (holder) => (asked.push(holder), true), CAP);
    expect(asked).toEqual(["0xabcdef0000000000000000000000000000000001"]);
  });

  it("counts a new bitmap word for each ids' word first touched, so scattered ids fit fewer", () => {
    const scattered = Array.from({ length: 1_000 }, (_, i) => ({ id: BigInt(i) * 256n, beneficiary: address(i + 1) }));
    const packed = packMintBatch(scattered, everybody, CAP);
    expect(packed.count).toBe(Number((CAP - MINT_GAS.base) / (MINT_GAS.existingHolder + MINT_GAS.newIdWord)));
  });

  it("keeps the order: it stops at the first credit that does not fit rather than skipping to smaller ones", () => {
    const mixed = credits(600);
    const holders = new Set(mixed.slice(560).map((c) => c.beneficiary));
    const packed = packMintBatch(mixed, (holder) => holders.has(holder), CAP);
    expect(packed.count).toBeLessThan(560);
    expect(CAP - packed.gas).toBeGreaterThanOrEqual(MINT_GAS.existingHolder);
    expect(packed).toEqual(packMintBatch(mixed.slice(0, 560), nobody, CAP));
  });
});
