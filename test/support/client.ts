import type { LightMyRequestResponse } from "fastify";
import type { Api } from "../../services/api/app.js";

export interface Reply<T = any> {
  status: number;
  body: T;
  raw: LightMyRequestResponse;
}

/** A caller of the API with one API key (or none), through Fastify's inject: no sockets, same code path. */
export function client(app: Api, apiKey?: string) {
  const send = async <T = any>(
    method: "GET" | "POST" | "PATCH",
    url: string,
    body?: unknown,
    headers: Record<string, string> = {},
  ): Promise<Reply<T>> => {
    const raw = await app.inject({
      method,
      url,
      headers: { ...(apiKey ? { authorization: `Bearer ${apiKey}` } : {}), ...headers },
      ...(body === undefined ? {} : typeof body === "string" ? { payload: body } : { payload: body as object }),
    });
    const text = raw.body;
    return { status: raw.statusCode, body: (text ? safeJson(text) : undefined) as T, raw };
  };
  return {
    get: <T = any>(url: string, headers?: Record<string, string>) => send<T>("GET", url, undefined, headers),
    post: <T = any>(url: string, body?: unknown, headers?: Record<string, string>) => send<T>("POST", url, body, headers),
    patch: <T = any>(url: string, body?: unknown, headers?: Record<string, string>) => send<T>("PATCH", url, body, headers),
  };
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

export type Client = ReturnType<typeof client>;
