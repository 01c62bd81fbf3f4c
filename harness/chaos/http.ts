import { sleep } from "../lib/time.js";

/** An answer from the API: status and parsed JSON body. */
export interface Answer {
  status: number;
  body: Record<string, unknown>;
}

/** One request; throws on a connection error (refused, reset, timed out), as while the API restarts. */
export async function request(base: string, method: string, path: string, headers: Record<string, string>, body?: unknown): Promise<Answer> {
  const response = await fetch(`${base}${path}`, {
    method,
    headers: { ...headers, ...(body !== undefined ? { "content-type": "application/json" } : {}) },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    signal: AbortSignal.timeout(10_000),
  });
  const text = await response.text();
  let parsed: Record<string, unknown>;
  try {
    parsed = JSON.parse(text) as Record<string, unknown>;
  } catch {
    parsed = { raw: text };
  }
  return { status: response.status, body: parsed };
}

/**
 * The same request again and again until the API answers other than with a connection error or a 5xx
 * (a killed API refuses connections, cuts answers off or answers 503 while its dependencies return), or
 * until `giveUpAt` (or the run is aborted). The caller sends the same Idempotency-Key, or the same signed payment, every time, so
 * a request whose answer was lost is never recorded twice. `attempts` counts them.
 */
export async function requestUntilAnswered(
  base: () => string,
  method: string,
  path: string,
  headers: Record<string, string>,
  body: unknown,
  giveUpAt: number,
  aborted: () => boolean = () => false,
): Promise<Answer & { attempts: number }> {
  let attempts = 0;
  let last = "";
  while (Date.now() < giveUpAt && !aborted()) {
    attempts++;
    try {
      const answer = await request(base(), method, path, headers, body);
      if (answer.status < 500) return { ...answer, attempts };
      last = `${answer.status} ${JSON.stringify(answer.body)}`;
    } catch (error) {
      last = (error as Error).message;
    }
    await sleep(Math.min(1_000, 100 * attempts));
  }
  throw new Error(`${method} ${path} unanswered after ${attempts} attempts (last: ${last})`);
}
