/**
 * EIP-1559 fees, worked out without I/O: what to offer from the node's fee history, what a replacement of a
 * transaction that has not mined must offer, and whether either stays under the operator's ceiling.
 */

export interface Fees {
  maxFeePerGas: bigint;
  maxPriorityFeePerGas: bigint;
}

/** `eth_feeHistory` over recent blocks, read: `baseFeePerGas` ends with the next block's base fee. */
export interface FeeHistory {
  baseFeePerGas: bigint[];
  gasUsedRatio: number[];
  /** Each block's reward at the chosen percentile. */
  reward: bigint[];
}

/**
 * The max fee covers this many times the next base fee: the base fee rises at most 12.5 % a block, so twice it
 * still pays after six full blocks in a row, and the price paid is only ever base fee + tip, never the max.
 */
export const BASE_FEE_MULTIPLIER = 2n;
/** geth and Anvil refuse a replacement that does not raise both fees by 10 %; 12.5 % leaves a margin. */
export const REPLACEMENT_BUMP_PERMILLE = 125n;

/** What the market asks now, and the least a transaction must offer to be included in the next block. */
export interface MarketFees {
  offer: Fees;
  /** Next base fee + tip: above the ceiling, nothing can be sent without overpaying. */
  needed: bigint;
}

/**
 * The tip is the median of recent blocks' rewards at the percentile read; blocks with no transactions reward
 * nothing and say nothing about the price, so they are left out, and with no busy block at all the node's own
 * suggestion (`fallbackTip`) stands in.
 */
export function feesFromHistory(history: FeeHistory, fallbackTip: bigint): MarketFees {
  const nextBase = history.baseFeePerGas.at(-1);
  if (nextBase === undefined) throw new Error("a fee history without base fees (is the chain before London?)");
  const rewards = history.reward.filter((_, i) => (history.gasUsedRatio[i] ?? 0) > 0).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const tip = rewards.length > 0 ? rewards[Math.floor(rewards.length / 2)]! : fallbackTip;
  return { offer: { maxFeePerGas: nextBase * BASE_FEE_MULTIPLIER + tip, maxPriorityFeePerGas: tip }, needed: nextBase + tip };
}

/** `value` raised by the replacement minimum, rounded up so a node's integer check never falls a wei short. */
export function bumped(value: bigint): bigint {
  return value + (value * REPLACEMENT_BUMP_PERMILLE + 999n) / 1000n;
}

const max = (a: bigint, b: bigint) => (a > b ? a : b);
const min = (a: bigint, b: bigint) => (a < b ? a : b);

export type Priced = { fees: Fees } | { blocked: { needed: bigint; ceiling: bigint } };

/**
 * The fees of a first send: the market's offer, its max fee cut to the ceiling when the ceiling still covers
 * what inclusion needs; blocked when it does not (sending then would either overpay or sit unmined).
 */
export function firstFees(market: MarketFees, ceiling: bigint | undefined): Priced {
  if (ceiling === undefined) return { fees: market.offer };
  if (market.needed > ceiling) return { blocked: { needed: market.needed, ceiling } };
  const maxFeePerGas = min(market.offer.maxFeePerGas, ceiling);
  return { fees: { maxFeePerGas, maxPriorityFeePerGas: min(market.offer.maxPriorityFeePerGas, maxFeePerGas) } };
}

/**
 * The fees of a replacement of a transaction sent at `previous`: at least the replacement minimum on both, and
 * at least what the market offers now. Blocked when the minimum or what inclusion needs is above the ceiling:
 * the transaction already out keeps its place and is bumped once fees fall.
 */
export function replacementFees(previous: Fees, market: MarketFees, ceiling: bigint | undefined): Priced {
  const floor = { maxFeePerGas: bumped(previous.maxFeePerGas), maxPriorityFeePerGas: bumped(previous.maxPriorityFeePerGas) };
  const maxPriorityFeePerGas = max(floor.maxPriorityFeePerGas, market.offer.maxPriorityFeePerGas);
  let maxFeePerGas = max(max(floor.maxFeePerGas, market.offer.maxFeePerGas), maxPriorityFeePerGas);
  if (ceiling !== undefined) {
    const least = max(max(floor.maxFeePerGas, market.needed), maxPriorityFeePerGas);
    if (least > ceiling) return { blocked: { needed: least, ceiling } };
    maxFeePerGas = min(maxFeePerGas, ceiling);
  }
  return { fees: { maxFeePerGas, maxPriorityFeePerGas } };
}

/** What `transactions` more sends would cost at most, at `gasLimit` each and `fees`: the balance to keep. */
export function reserveFor(transactions: number, gasLimit: bigint, fees: Fees): bigint {
  return BigInt(transactions) * gasLimit * fees.maxFeePerGas;
}

/** Gwei (a decimal string, as an operator writes it) in wei; undefined when it is not a non-negative number. */
export function gweiToWei(gwei: string): bigint | undefined {
  const match = /^(\d+)(?:\.(\d{1,9}))?$/.exec(gwei);
  if (!match) return undefined;
  return BigInt(match[1]!) * 1_000_000_000n + BigInt((match[2] ?? "").padEnd(9, "0") || "0");
}
