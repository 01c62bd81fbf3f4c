import { badRequest } from "./errors.js";

/** Every RewardToken has 18 decimals; amounts travel as decimal strings ("12.5") and live as base units. */
export const TOKEN_DECIMALS = 18;
export const MAX_UINT256 = 2n ** 256n - 1n;
const DECIMAL = /^(0|[1-9]\d*)(\.\d+)?$/;

/** Parses "12.5" into base units of `decimals` exactly; refuses signs, exponents, excess decimals, overflow. */
export function parseDecimal(text: string, decimals: number, field = "amount"): bigint {
  const match = DECIMAL.exec(text);
  if (!match) throw badRequest("RC_INVALID_AMOUNT", `${field} must be a non-negative decimal string like "12.5"`);
  const fraction = (match[2] ?? ".").slice(1);
  if (fraction.length > decimals) throw badRequest("RC_INVALID_AMOUNT", `${field} has more than ${decimals} decimals`);
  const value = BigInt(match[1]!) * 10n ** BigInt(decimals) + BigInt(fraction.padEnd(decimals, "0") || "0");
  if (value > MAX_UINT256) throw badRequest("RC_INVALID_AMOUNT", `${field} is too large`);
  return value;
}

/** Token amounts: 18 decimals. */
export const parseTokenAmount = (text: string, field = "amount") => parseDecimal(text, TOKEN_DECIMALS, field);

/** Formats base units of `decimals` as the shortest exact decimal string: (12500000n, 6) → "12.5". */
export function formatDecimal(value: bigint, decimals: number): string {
  const unit = 10n ** BigInt(decimals);
  const negative = value < 0n;
  const magnitude = negative ? -value : value;
  const fraction = (magnitude % unit).toString().padStart(decimals, "0").replace(/0+$/, "");
  return `${negative ? "-" : ""}${magnitude / unit}${fraction ? `.${fraction}` : ""}`;
}

/** Token amounts: 12500000000000000000n → "12.5". */
export const formatTokenAmount = (value: bigint) => formatDecimal(value, TOKEN_DECIMALS);
