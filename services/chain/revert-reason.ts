import { isHexString, type Interface } from "ethers";

/**
 * The revert data an ethers or JSON-RPC error carries, wherever it put it: a failed estimate or call has
 * it on the error, a node that mines a reverting transaction and refuses it at broadcast (Hardhat with
 * automine) in the RPC error ethers wraps. Undefined for errors that are not reverts (a dropped connection).
 */
export function revertDataOf(error: unknown, depth = 0): string | undefined {
  if (typeof error !== "object" || error === null || depth > 4) return undefined;
  const { data } = error as { data?: unknown };
  // At least a 4-byte selector: "0x" alone is a revert without a reason.
  if (typeof data === "string" && isHexString(data) && data.length >= 10) return data;
  for (const key of ["error", "info", "cause"] as const) {
    const found = revertDataOf((error as Record<string, unknown>)[key], depth + 1);
    if (found) return found;
  }
  return undefined;
}

/** A custom error's name as an RC_ code: VaultInsufficientDeposits → RC_VAULT_INSUFFICIENT_DEPOSITS. */
export const revertCode = (name: string): `RC_${string}` =>
  `RC_${name.replace(/([a-z0-9])([A-Z])/g, "$1_$2").replace(/([A-Z])([A-Z][a-z])/g, "$1_$2").toUpperCase()}`;

/** The code of the first interface's error that `data` decodes as, or `fallback`. */
export function revertReason(data: string | undefined, interfaces: Interface[], fallback: `RC_${string}`): `RC_${string}` {
  if (!data) return fallback;
  for (const iface of interfaces) {
    try {
      const parsed = iface.parseError(data);
      if (parsed) return revertCode(parsed.name);
    } catch {
      // Not one of this interface's errors (or malformed arguments): try the next.
    }
  }
  return fallback;
}

/** Solidity's Panic codes (the language's own checks) that a contract can reach, by what they mean. */
const PANICS: Record<number, { code: `RC_${string}`; reason: string }> = {
  0x01: { code: "RC_PANIC_ASSERTION", reason: "an assertion failed" },
  0x11: { code: "RC_ARITHMETIC_OVERFLOW", reason: "arithmetic overflow: the amount would take a balance or the token's total supply past 2^256 - 1" },
  0x12: { code: "RC_PANIC_DIVISION_BY_ZERO", reason: "division by zero" },
  0x32: { code: "RC_PANIC_INDEX_OUT_OF_BOUNDS", reason: "an array index out of bounds" },
};

/**
 * A revert as a stable code and a sentence a person can act on: a custom error by name with its arguments
 * (RC_ENFORCED_PAUSE, "EnforcedPause()"), a Panic by its meaning (0x11: RC_ARITHMETIC_OVERFLOW), a
 * `require` message as is, and `fallback` for a revert without data or with data none of `interfaces` knows.
 */
export function describeRevert(
  data: string | undefined,
  interfaces: Interface[],
  fallback: `RC_${string}`,
): { code: `RC_${string}`; reason: string } {
  for (const iface of data ? interfaces : []) {
    let parsed: ReturnType<Interface["parseError"]>;
    try {
      parsed = iface.parseError(data!);
    } catch {
      continue; // not this interface's, or malformed arguments
    }
    if (!parsed) continue;
    if (parsed.name === "Panic") {
      const panic = Number(parsed.args[0]);
      const hex = `0x${panic.toString(16).padStart(2, "0")}`;
      const known = PANICS[panic];
      return known ? { code: known.code, reason: `${known.reason} (Panic ${hex})` } : { code: "RC_PANIC", reason: `Panic ${hex}` };
    }
    if (parsed.name === "Error") return { code: "RC_REVERTED", reason: String(parsed.args[0]) };
    return { code: revertCode(parsed.name), reason: `${parsed.name}(${parsed.args.map(String).join(", ")})` };
  }
  return { code: fallback, reason: data ? `reverted with unknown data ${data.slice(0, 74)}` : "reverted without a reason" };
}
