/**
 * Requests as given, for the callers that send bad input on purpose (the fuzz, load that replays the same
 * bytes): no JSON encoding, no error mapping, the status and the text back. Everything else uses the
 * typed client (index.ts); `fetchOver` lets that client run over any such sender, e.g. Fastify's inject.
 */

export interface RawRequest {
  method: string;
  /** Path and query, e.g. "/v1/collections?programId=1"; or a whole URL when the base is "". */
  url: string;
  headers: Record<string, string>;
  body?: string;
}

export interface RawReply {
  status: number;
  body: string;
}

export type RawSend = (request: RawRequest) => Promise<RawReply>;

/** One request over HTTP to `baseUrl`. Throws only when no answer comes. */
export async function rawRequest(baseUrl: string, request: RawRequest, fetchImpl: typeof fetch = fetch): Promise<RawReply> {
  const reply = await fetchImpl(`${baseUrl.replace(/\/+$/, "")}${request.url}`, {
    method: request.method,
    headers: request.headers,
    ...(request.body !== undefined ? { body: request.body } : {}),
  });
  return { status: reply.status, body: await reply.text() };
}

/** A fetch that goes through `send`: the typed client over app.inject, or over whatever the caller counts. */
export function fetchOver(send: RawSend): typeof fetch {
  return (async (input: string | URL | Request, init: RequestInit = {}) => {
    const url = new URL(String(input), "http://api.invalid");
    const reply = await send({
      method: init.method ?? "GET",
      url: `${url.pathname}${url.search}`,
      headers: (init.headers ?? {}) as Record<string, string>,
      ...(typeof init.body === "string" ? { body: init.body } : {}),
    });
    const empty = reply.body === "" || reply.status === 204 || reply.status === 304;
    return new Response(empty ? null : reply.body, { status: reply.status });
  }) as typeof fetch;
}
