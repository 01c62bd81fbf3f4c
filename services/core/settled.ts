/** One request's outcome when many are carried out together: its value, or the error it alone is refused with. */
export type Settled<T> = { ok: true; value: T } | { ok: false; error: unknown };
