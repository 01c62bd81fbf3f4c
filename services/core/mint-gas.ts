/**
 * What a `mintBatch` costs, to pack a batch by gas rather than by count. Measured on the dev chain (Hardhat 3,
 * EDR, osaka; DESIGN.md §6) and rounded up, so an estimate is never below what the batch burns:
 * - a credit to a holder with a balance: 11.4k (a warm-ish balance update, the event and its bitmap bit);
 * - to a holder with none: 28.5k (the balance slot goes from zero to non-zero);
 * - a beneficiary's next credit in the same batch: 6.5k (every slot it touches is already written);
 * - a bitmap word (256 event ids) first written: +21.8k, counted for every word a batch touches;
 * - the transaction and a token's first mint, which also creates its supply slot: under 150k.
 */
export const MINT_GAS = {
  base: 150_000n,
  existingHolder: 12_000n,
  freshHolder: 29_500n,
  repeatInBatch: 7_000n,
  newIdWord: 22_500n,
} as const;

/** A credit as the gas model sees it: its event id (the bitmap bit it sets) and its beneficiary. */
export interface MintCredit {
  id: bigint;
  beneficiary: string;
}

/** The first `count` credits of a batch and what they are estimated to burn. */
export interface PackedMint {
  count: number;
  gas: bigint;
}

/**
 * How many of `credits`, taken in order (oldest first), fit in one `mintBatch` whose estimate stays within
 * `budget`, and that estimate. `holds(beneficiary)` (lower-case) says whether the beneficiary has a balance
 * before the batch; when unsure it answers false, since a fresh holder costs more. A beneficiary's next
 * credits in the batch cost least of all.
 */
export function packMintBatch(credits: readonly MintCredit[], holds: (beneficiary: string) => boolean, budget: bigint): PackedMint {
  const holders = new Set<string>();
  const words = new Set<bigint>();
  let gas = MINT_GAS.base;
  for (let i = 0; i < credits.length; i++) {
    const { id, beneficiary } = credits[i]!;
    const holder = beneficiary.toLowerCase();
    const word = id >> 8n;
    const cost =
      (holders.has(holder) ? MINT_GAS.repeatInBatch : holds(holder) ? MINT_GAS.existingHolder : MINT_GAS.freshHolder) +
      (words.has(word) ? 0n : MINT_GAS.newIdWord);
    if (gas + cost > budget) return { count: i, gas };
    gas += cost;
    holders.add(holder);
    words.add(word);
  }
  return { count: credits.length, gas };
}
