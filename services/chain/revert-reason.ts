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
