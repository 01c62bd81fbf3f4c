/** A caller of a running API over HTTP, for the seed and the simulation: JSON in, JSON out, coded errors thrown. */
export interface Api {
  get<T = any>(path: string, key?: string): Promise<T>;
  post<T = any>(path: string, body: unknown, options?: { key?: string; headers?: Record<string, string>; expect?: number[] }): Promise<T>;
}

/** An answer the caller did not expect, with the API's `{ error: { code, message } }` when it sent one. */
export class ApiError extends Error {
  constructor(readonly method: string, readonly path: string, readonly status: number, readonly body: unknown) {
    super(`${method} ${path} answered ${status}: ${typeof body === "string" ? body : JSON.stringify(body)}`);
  }
}

export function connectApi(base: string, requestTimeoutMs = 15_000): Api {
  const root = base.replace(/\/+$/, "");
  const send = async (method: string, path: string, key: string | undefined, body: unknown, headers: Record<string, string>, expected: number[]) => {
    let response: Response;
    try {
      response = await fetch(`${root}${path}`, {
        method,
        headers: {
          accept: "application/json",
          ...(key ? { authorization: `Bearer ${key}` } : {}),
          ...(body !== undefined ? { "content-type": "application/json" } : {}),
          ...headers,
        },
        ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
        signal: AbortSignal.timeout(requestTimeoutMs),
      });
    } catch (error) {
      throw new Error(`${method} ${root}${path}: ${(error as Error).message} (is the API running? npm start)`);
    }
    const text = await response.text();
    let parsed: unknown = text;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      // not JSON: keep the text for the error
    }
    if (!expected.includes(response.status)) throw new ApiError(method, path, response.status, parsed);
    return parsed as any;
  };
  return {
    get: (path, key) => send("GET", path, key, undefined, {}, [200]),
    post: (path, body, options = {}) => send("POST", path, options.key, body, options.headers ?? {}, options.expect ?? [200, 201, 202]),
  };
}

/** The network as GET /v1/network describes it (the parts the seed and the simulation use). */
export interface NetworkInfo {
  chainId: number;
  rpcUrl: string;
  contracts: { vault: string; stablecoin: string; factory: string };
  stablecoin: { decimals: number; symbol: string };
  programs: { id: number; name: string; symbol: string; token: string; materials: string[]; rates: Record<string, string>; redemptionRate: string }[];
}
