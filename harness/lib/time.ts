/**
 * Waiting, the one way the harnesses, the operator scripts and the tests do it: `sleep` for a fixed pause,
 * `pollUntil` for "until this holds, or give up". (Code in services/ keeps its own timers.)
 */
import { setTimeout as delay } from "node:timers/promises";

export const sleep = (ms: number): Promise<void> => delay(ms);

/** Thrown by `pollUntil` when the deadline passes; `last` is the last value probed. */
export class PollTimeout<T = unknown> extends Error {
  constructor(
    message: string,
    readonly last: T | undefined,
  ) {
    super(message);
  }
}

export interface PollOptions<T> {
  /** Give up this long after the first probe (default 30 s) ... */
  timeoutMs?: number;
  /** ... or at this Date.now() instant, when a whole run shares one deadline. */
  deadline?: number;
  /** Pause between probes (default 50 ms). */
  intervalMs?: number;
  /** The timeout's message, given the last value: what was awaited and how far it got. */
  message?: (last: T | undefined) => string;
}

/**
 * Probes until `done(value)` holds and returns that value, or throws a PollTimeout once the deadline has
 * passed. A probe that throws ends the wait with its error (say, a child process that exited).
 */
export async function pollUntil<T>(probe: () => Promise<T>, done: (value: T) => boolean, options: PollOptions<T> = {}): Promise<T> {
  const deadline = options.deadline ?? Date.now() + (options.timeoutMs ?? 30_000);
  for (;;) {
    const value = await probe();
    if (done(value)) return value;
    if (Date.now() >= deadline) {
      const message = options.message?.(value) ?? `condition not met in time; last value: ${JSON.stringify(value, (_, v) => (typeof v === "bigint" ? String(v) : v))}`;
      throw new PollTimeout(message, value);
    }
    await sleep(options.intervalMs ?? 50);
  }
}
