import type { Addressable, Interface, Log, LogDescription, TransactionReceipt } from "ethers";
import { isHexString, Result } from "ethers";
import { isDeepStrictEqual } from "node:util";
import { expect } from "vitest";

/** Anything with an ABI to decode with: a typed contract, or `{ interface }` built by hand. */
export interface HasInterface {
  readonly interface: Interface;
  readonly target?: string | Addressable;
}

/** Something that resolves to a receipt: a sent transaction's `wait()`, or a receipt. */
interface Waitable {
  wait(): Promise<TransactionReceipt | null>;
}

/** Sends nothing itself: awaits the transaction and returns its mined receipt (throws on a missing one). */
export async function receiptOf(tx: Promise<Waitable> | Waitable): Promise<TransactionReceipt> {
  const receipt = await (await tx).wait();
  if (!receipt) throw new Error("the transaction has no receipt");
  return receipt;
}

/** The revert data carried by an error thrown by hardhat-ethers or ethers v6, if any. */
export function revertData(error: unknown): string | undefined {
  const candidates: unknown[] = [];
  let current: unknown = error;
  // hardhat-ethers puts it on `data`; ethers' CallExceptionError on `data` too, wrapped errors under `info.error`.
  for (let depth = 0; depth < 4 && typeof current === "object" && current !== null; depth++) {
    const e = current as { data?: unknown; info?: { error?: unknown }; error?: unknown };
    candidates.push(e.data);
    current = e.info?.error ?? e.error;
  }
  const found = candidates.find((d): d is string => typeof d === "string" && isHexString(d));
  if (found !== undefined) return found;
  // When Hardhat cannot map a revert to source (some via-IR paths), the data is only in its message.
  return /return data: (0x[0-9a-fA-F]*)/.exec(String((error as Error)?.message ?? ""))?.[1];
}

/** Normalises values for comparison: Result → array, number → bigint, hex strings (addresses) → lowercase. */
function normalise(value: unknown): unknown {
  if (value instanceof Result) return value.toArray(true).map(normalise);
  if (Array.isArray(value)) return value.map(normalise);
  if (typeof value === "number") return BigInt(value);
  if (typeof value === "string" && isHexString(value)) return value.toLowerCase();
  return value;
}

/**
 * Awaits `promise`, expects it to revert with the custom error `name` of `contract`'s ABI and, when `args`
 * is given, with exactly those arguments. Returns the decoded arguments.
 */
export async function expectRevert(
  promise: Promise<unknown>,
  contract: HasInterface,
  name: string,
  args?: readonly unknown[],
): Promise<Result> {
  let error: unknown;
  try {
    await promise;
  } catch (caught) {
    error = caught;
  }
  if (error === undefined) throw new Error(`expected a revert with ${name}, but the call succeeded`);
  const data = revertData(error);
  if (data === undefined) throw new Error(`expected a revert with ${name}, got an error without revert data: ${String(error)}`);
  const parsed = contract.interface.parseError(data);
  if (!parsed) throw new Error(`expected a revert with ${name}, got undecodable revert data ${data}`);
  expect(parsed.name, `custom error (data ${data})`).toBe(name);
  if (args) expect(normalise(parsed.args), `arguments of ${name}`).toEqual(normalise(args));
  return parsed.args;
}

/** The address logs must come from for `contract`, when it has a plain string target. */
function emitterOf(contract: HasInterface): string | undefined {
  return typeof contract.target === "string" ? contract.target.toLowerCase() : undefined;
}

/** Every event `name` that `contract` emitted in `receipt`, decoded, in log order. */
export function eventsNamed(receipt: { logs: readonly Log[] }, contract: HasInterface, name: string): LogDescription[] {
  const emitter = emitterOf(contract);
  const events: LogDescription[] = [];
  for (const log of receipt.logs) {
    if (emitter !== undefined && log.address.toLowerCase() !== emitter) continue;
    const parsed = contract.interface.parseLog({ topics: [...log.topics], data: log.data });
    if (parsed?.name === name) events.push(parsed);
  }
  return events;
}

/**
 * Expects `contract` to have emitted event `name` in `receipt` (with exactly `args`, when given; if it
 * was emitted several times, one of them must match). Returns the matching event.
 */
export function expectEvent(
  receipt: { logs: readonly Log[] },
  contract: HasInterface,
  name: string,
  args?: readonly unknown[],
): LogDescription {
  const events = eventsNamed(receipt, contract, name);
  if (events.length === 0) throw new Error(`expected event ${name}, but it was not emitted`);
  const first = events[0] as LogDescription;
  if (!args) return first;
  const wanted = normalise(args);
  const match = events.find((event) => isDeepStrictEqual(normalise(event.args), wanted));
  if (match) return match;
  // Fail with a readable diff against the first emission.
  expect(normalise(first.args), `arguments of ${name}`).toEqual(wanted);
  return first;
}

/** Expects `contract` not to have emitted event `name` in `receipt`. */
export function expectNoEvent(receipt: { logs: readonly Log[] }, contract: HasInterface, name: string): void {
  expect(eventsNamed(receipt, contract, name), `events named ${name}`).toHaveLength(0);
}
