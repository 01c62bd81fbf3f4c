/**
 * Gas limits, written once. Osaka caps a transaction at 2^24 = 16,777,216 gas (EIP-7825): a bigger limit is
 * refused, so every limit stays a margin below it.
 */
export const TRANSACTION_GAS_CAP = 16_700_000n;

/** `base + perItem × items`, the limit of a batch whose cost grows with its size, capped under the chain's limit. */
export function batchGasLimit(base: bigint, perItem: bigint, items: number): bigint {
  const wanted = base + perItem * BigInt(items);
  return wanted < TRANSACTION_GAS_CAP ? wanted : TRANSACTION_GAS_CAP;
}

/** A node's estimate plus a fifth: the state can change between estimate and inclusion. */
export function estimatedGasLimit(estimate: bigint): bigint {
  const wanted = estimate + estimate / 5n;
  return wanted < TRANSACTION_GAS_CAP ? wanted : TRANSACTION_GAS_CAP;
}
