import { ApiError, createApiClient, type ApiClient } from "../../services/api/client/index.js";
import { sleep } from "../lib/time.js";

/** The client for the API wherever it listens now (a restarted API may come back on another port). */
export const apiAt = (base: string): ApiClient => createApiClient({ baseUrl: base, timeoutMs: 10_000 });

/** A call's end: its answer, or the API's refusal (a 4xx, with its code), after `attempts` tries. */
export type Outcome<T> = ({ ok: true; value: T } | { ok: false; error: ApiError }) & { attempts: number };

/**
 * The same call again and again until the API answers other than with a connection error or a 5xx
 * (a killed API refuses connections, cuts answers off or answers 503 while its dependencies return), or
 * until `giveUpAt` (or the run is aborted). The caller sends the same Idempotency-Key, or the same signed payment, every time, so
 * a request whose answer was lost is never recorded twice. `attempts` counts them.
 */
export async function untilAnswered<T>(
  label: string,
  call: () => Promise<T>,
  giveUpAt: number,
  aborted: () => boolean = () => false,
): Promise<Outcome<T>> {
  let attempts = 0;
  let last = "";
  while (Date.now() < giveUpAt && !aborted()) {
    attempts++;
    try {
      return { ok: true, value: await call(), attempts };
    } catch (error) {
      if (error instanceof ApiError && error.status > 0 && error.status < 500) return { ok: false, error, attempts };
      last = error instanceof ApiError && error.status > 0 ? `${error.status} ${JSON.stringify(error.body)}` : (error as Error).message;
    }
    await sleep(Math.min(1_000, 100 * attempts));
  }
  throw new Error(`${label} unanswered after ${attempts} attempts (last: ${last})`);
}
