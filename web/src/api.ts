/** The API's error shape, always `{error: {code, message}}` with a 4xx or 5xx status. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export interface RequestOptions {
  method?: "GET" | "POST" | "DELETE";
  body?: unknown;
  /** A member's API key, or a collector's session token: both travel as a bearer token. */
  bearer?: string;
  headers?: Record<string, string>;
  signal?: AbortSignal;
}

/** JSON in, JSON out, against the API that served this page. */
export async function api<T>(path: string, options: RequestOptions = {}): Promise<T> {
  const headers: Record<string, string> = { accept: "application/json", ...options.headers };
  if (options.body !== undefined) headers["content-type"] = "application/json";
  if (options.bearer) headers.authorization = `Bearer ${options.bearer}`;
  let response: Response;
  try {
    response = await fetch(path, {
      method: options.method ?? (options.body === undefined ? "GET" : "POST"),
      headers,
      body: options.body === undefined ? null : JSON.stringify(options.body),
      signal: options.signal ?? null,
    });
  } catch (error) {
    throw new ApiError(0, "RC_NETWORK", error instanceof Error ? error.message : String(error));
  }
  const text = await response.text();
  const data = text === "" ? undefined : (JSON.parse(text) as unknown);
  if (!response.ok) {
    const failure = (data as { error?: { code?: string; message?: string } } | undefined)?.error;
    throw new ApiError(response.status, failure?.code ?? `HTTP_${response.status}`, failure?.message ?? response.statusText);
  }
  return data as T;
}

/** A fresh Idempotency-Key: a retried request with the same key is applied once. */
export const idempotencyKey = () => crypto.randomUUID();
