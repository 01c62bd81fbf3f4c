/**
 * The sponsor vault's arithmetic, in plain bigint: what a redemption is worth, the fee on it, which
 * deposits pay for it, and whether a program is covered. It mirrors `SponsorVault.sol` exactly, so the
 * contract tests check the chain against it and the fund-flow verification recomputes payouts with it.
 */

/** Every RewardToken has 18 decimals; rates are stablecoin units per whole token. */
export const TOKEN_UNIT = 10n ** 18n;
/** Fees are in basis points. */
export const BPS = 10_000n;

export interface RedemptionQuote {
  /** The tokens' value, drawn from deposits. */
  gross: bigint;
  /** The network's share of `gross`, sent to the treasury. */
  fee: bigint;
  /** What the retailer receives: `gross - fee`. */
  net: bigint;
}

/** A deposit as the FIFO walk sees it: its id and what redemptions have not drawn yet. */
export interface DepositBalance<Id = bigint> {
  id: Id;
  remaining: bigint;
}

/** One deposit's share of one redemption, as the vault's `DepositDrawn` event reports it. */
export interface Draw<Id = bigint> {
  depositId: Id;
  amount: bigint;
}

export interface FifoResult<Id = bigint> {
  /** In the order the deposits were drawn (oldest first); never a zero amount. */
  draws: Draw<Id>[];
  /** Every deposit given, in the same order, with what is left of it (exhausted ones at zero). */
  remaining: DepositBalance<Id>[];
}

export interface Solvency {
  outstandingValue: bigint;
  depositsLeft: bigint;
  solvent: boolean;
}

/** The deposits cannot pay a redemption; the vault reverts with `VaultInsufficientDeposits`. */
export class InsufficientDepositsError extends Error {
  readonly code = "RC_INSUFFICIENT_DEPOSITS";

  constructor(
    readonly available: bigint,
    readonly needed: bigint,
  ) {
    super(`deposits left (${available}) cannot pay ${needed}`);
    this.name = "InsufficientDepositsError";
  }
}

/** Uint256 inputs: a negative value is a caller's bug, not something the chain could produce. */
function assertUnsigned(name: string, value: bigint): void {
  if (value < 0n) throw new RangeError(`${name} must not be negative, got ${value}`);
}

/**
 * Value rounds down and the fee rounds up, as in the vault's `_quote`: the vault never pays more than
 * the tokens are worth, and splitting one redemption into many can only raise the total fee.
 */
export function quoteRedemption(tokens: bigint, rate: bigint, feeBps: bigint): RedemptionQuote {
  assertUnsigned("tokens", tokens);
  assertUnsigned("rate", rate);
  if (feeBps < 0n || feeBps > BPS) throw new RangeError(`feeBps must be within 0..${BPS}, got ${feeBps}`);
  const gross = (tokens * rate) / TOKEN_UNIT;
  // Ceiling division without floats: (a + b - 1) / b.
  const fee = (gross * feeBps + BPS - 1n) / BPS;
  return { gross, fee, net: gross - fee };
}

/**
 * Draws `amount` from the oldest deposits first, each as far as it goes, as the vault's `_drawFifo`
 * does. Throws {@link InsufficientDepositsError} (and draws nothing) when the deposits cannot cover it,
 * because the vault checks the total before it draws. The input is not modified.
 */
export function drawFifo<Id>(deposits: readonly DepositBalance<Id>[], amount: bigint): FifoResult<Id> {
  assertUnsigned("amount", amount);
  let available = 0n;
  for (const deposit of deposits) {
    assertUnsigned("remaining", deposit.remaining);
    available += deposit.remaining;
  }
  if (available < amount) throw new InsufficientDepositsError(available, amount);

  const draws: Draw<Id>[] = [];
  let left = amount;
  const remaining = deposits.map((deposit) => {
    // Exhausted deposits are behind the vault's head pointer: it never emits a zero draw for them.
    if (left === 0n || deposit.remaining === 0n) return { ...deposit };
    const drawn = deposit.remaining < left ? deposit.remaining : left;
    left -= drawn;
    draws.push({ depositId: deposit.id, amount: drawn });
    return { ...deposit, remaining: deposit.remaining - drawn };
  });
  return { draws, remaining };
}

/**
 * Outstanding tokens valued at the rate (rounded down, like a redemption of all of them) against the
 * deposits left, as the vault's `solvency` view: solvent when every token could be redeemed now.
 */
export function solvency(totalSupply: bigint, rate: bigint, depositsLeft: bigint): Solvency {
  assertUnsigned("totalSupply", totalSupply);
  assertUnsigned("rate", rate);
  assertUnsigned("depositsLeft", depositsLeft);
  const outstandingValue = (totalSupply * rate) / TOKEN_UNIT;
  return { outstandingValue, depositsLeft, solvent: depositsLeft >= outstandingValue };
}
