import { describe, expect, it } from "vitest";
import { ApiError, createApiClient } from "../../../../services/api/client/index.js";
import { fetchOver, type RawRequest } from "../../../../services/api/client/raw.js";

/** A fetch that answers `status` with `body` and records what it was asked. */
function answering(status: number, body: string, contentType = "application/json") {
  const asked: { url: string; init: RequestInit }[] = [];
  const fetch = (async (url: string, init: RequestInit) => {
    asked.push({ url, init });
    return new Response(body === "" ? null : body, { status, headers: { "content-type": contentType } });
  }) as typeof globalThis.fetch;
  return { fetch, asked };
}

const failure = async (promise: Promise<unknown>) => {
  const error = await promise.then(() => undefined, (e: unknown) => e);
  expect(error).toBeInstanceOf(ApiError);
  return error as ApiError;
};

describe("api client", () => {
  it("throws the API's coded error with its status and body", async () => {
    const body = { error: { code: "RC_AUTHORIZATION_REPLAYED", message: "this authorization was used" } };
    const { fetch } = answering(409, JSON.stringify(body));
    const error = await failure(createApiClient({ baseUrl: "http://api", fetch }).payment(7));
    expect(error).toMatchObject({ status: 409, code: "RC_AUTHORIZATION_REPLAYED", message: "this authorization was used", request: "GET /v1/payments/7", body });
  });

  it("names an answer without the error shape HTTP_<status>, keeping its text", async () => {
    const { fetch } = answering(502, "Bad Gateway", "text/plain");
    const error = await failure(createApiClient({ baseUrl: "http://api", fetch }).network());
    expect(error).toMatchObject({ status: 502, code: "HTTP_502", message: "Bad Gateway", body: "Bad Gateway" });
  });

  it("gives status 0 and RC_NETWORK when no answer comes", async () => {
    const fetch = (async () => {
      throw new TypeError("fetch failed");
    }) as typeof globalThis.fetch;
    const error = await failure(createApiClient({ baseUrl: "http://api", fetch }).me());
    expect(error).toMatchObject({ status: 0, code: "RC_NETWORK", message: "fetch failed", request: "GET /v1/members/me" });
  });

  it("sends the bearer, the idempotency key and JSON, per call over the client's own", async () => {
    const { fetch, asked } = answering(202, JSON.stringify({ id: 1 }));
    const api = createApiClient({ baseUrl: "http://api/", apiKey: "admin", fetch });
    await api.recordCollection({ programId: 1, collector: "0x" + "1".repeat(40), material: "PET", grams: 500 }, { apiKey: "point", idempotencyKey: "k-1" });
    await api.createPayment({ voucher: "recircle:v1:x" }, { apiKey: null });
    const [collection, payment] = asked;
    expect(collection!.url).toBe("http://api/v1/collections");
    expect(collection!.init.headers).toMatchObject({ authorization: "Bearer point", "idempotency-key": "k-1", "content-type": "application/json" });
    expect(JSON.parse(collection!.init.body as string)).toMatchObject({ grams: 500 });
    expect(payment!.init.headers).not.toHaveProperty("authorization");
  });

  it("revokes a program role with DELETE and no body, and asks the audit log's CSV as text", async () => {
    const { fetch, asked } = answering(200, JSON.stringify({ programId: 3, memberId: 12, role: "acceptor", txHash: null }));
    const api = createApiClient({ baseUrl: "http://api", apiKey: "admin", fetch });
    expect((await api.revokeProgram(3, 12)).role).toBe("acceptor");
    expect(asked[0]!).toMatchObject({ url: "http://api/v1/programs/3/members/12", init: { method: "DELETE", body: null } });
    expect(asked[0]!.init.headers).not.toHaveProperty("content-type");
    const csv = answering(200, '"id","at"\n', "text/csv");
    expect(await createApiClient({ baseUrl: "", fetch: csv.fetch }).auditCsv({ action: "member.admit" })).toBe('"id","at"\n');
    expect(csv.asked[0]!.url).toBe("/v1/audit.csv?action=member.admit");
    expect(csv.asked[0]!.init.headers).toMatchObject({ accept: "text/csv" });
  });

  it("builds the query string of the defined parameters only", async () => {
    const { fetch, asked } = answering(200, "[]");
    await createApiClient({ baseUrl: "", fetch }).collections({ programId: "3", since: "2026-01-01T00:00:00.000Z", limit: undefined });
    expect(asked[0]!.url).toBe("/v1/collections?programId=3&since=2026-01-01T00%3A00%3A00.000Z");
  });

  it("runs over a raw sender (app.inject in the fuzz), path, headers and body as sent", async () => {
    const sent: RawRequest[] = [];
    const send = async (request: RawRequest) => {
      sent.push(request);
      return { status: 404, body: JSON.stringify({ error: { code: "RC_PAYMENT_NOT_FOUND", message: "no payment 9" } }) };
    };
    const api = createApiClient({ baseUrl: "", apiKey: "k", fetch: fetchOver(send) });
    const error = await failure(api.payment(9));
    expect(error).toMatchObject({ status: 404, code: "RC_PAYMENT_NOT_FOUND" });
    expect(sent[0]).toMatchObject({ method: "GET", url: "/v1/payments/9", headers: { authorization: "Bearer k" } });
  });

  it("takes an answer cut off mid-body for no answer (status 0)", async () => {
    const cut = new ReadableStream({ start: (controller) => controller.error(new TypeError("terminated")) });
    const fetch = (async () => new Response(cut, { status: 202 })) as typeof globalThis.fetch;
    const error = await failure(createApiClient({ baseUrl: "", fetch }).createPayment({ voucher: "recircle:v1:x" }));
    expect(error).toMatchObject({ status: 0, code: "RC_NETWORK", message: "terminated" });
  });
});
