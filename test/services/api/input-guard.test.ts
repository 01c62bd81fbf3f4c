import { request as httpRequest } from "node:http";
import { connect } from "node:net";
import { getAddress, Wallet } from "ethers";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { client, type Client, type Reply } from "../../support/client.js";
import { signIn } from "../../support/collector-session.js";
import { admit, idempotencyKey, recyclingScene } from "../../support/earn-fixtures.js";
import { startStack, type Stack } from "../../support/stack.js";

let stack: Stack;
let admin: Client;
let point: Client;
let programId: number;
let collector: string;

/** `address` with the case of one letter flipped: mixed case whose EIP-55 checksum fails. */
function wrongChecksum(address: string): string {
  const good = getAddress(address.toLowerCase());
  const letters = [...good].map((c, i) => (i > 1 && /[a-f]/i.test(c) ? i : -1)).filter((i) => i >= 0);
  const at = letters[1]!;
  const flipped = `${good.slice(0, at)}${good[at] === good[at]!.toUpperCase() ? good[at]!.toLowerCase() : good[at]!.toUpperCase()}${good.slice(at + 1)}`;
  expect(flipped).not.toBe(good);
  return flipped;
}
/** An address with at least two hex letters, so one flipped still leaves it mixed-case. */
const lettered = () => {
  for (;;) {
    const address = Wallet.createRandom().address;
    if ((address.slice(2).match(/[a-f]/gi) ?? []).length >= 4) return address;
  }
};

async function counts() {
  const [row] = await stack.sql`
    select (select count(*) from events) as events, (select count(*) from members) as members,
           (select count(*) from programs) as programs, (select count(*) from collectors) as collectors,
           (select count(*) from idempotency_keys) as keys`;
  return row;
}

function expectError(reply: Reply, status: number, code: string, ...mentions: string[]) {
  expect(reply.status, JSON.stringify(reply.body)).toBe(status);
  expect(reply.body.error.code, JSON.stringify(reply.body)).toBe(code);
  for (const text of mentions) expect(reply.body.error.message).toContain(text);
}

beforeAll(async () => {
  stack = await startStack({ runBatcher: false });
  const scene = await recyclingScene(stack);
  admin = scene.admin;
  point = scene.point.api;
  programId = scene.program.id;
  collector = scene.collector.address;
});
afterAll(() => stack?.close());

describe("addresses", () => {
  it("refuses a collection for a mixed-case collector address with a wrong checksum, writing nothing", async () => {
    const before = await counts();
    const reply = await point.post("/v1/collections", { programId, collector: wrongChecksum(collector), material: "PET", grams: 500 }, idempotencyKey());
    expectError(reply, 400, "RC_BAD_CHECKSUM", "body/collector", "EIP-55");
    expect(await counts()).toEqual(before);
  });

  it("accepts the same address all lower-case or in upper-case hex", async () => {
    const lower = await point.post("/v1/collections", { programId, collector: collector.toLowerCase(), material: "PET", grams: 500 }, idempotencyKey());
    expect(lower.status, JSON.stringify(lower.body)).toBe(202);
    const upper = `0x${collector.slice(2).toUpperCase()}`;
    const reply = await point.post("/v1/collections", { programId, collector: upper, material: "PET", grams: 500 }, idempotencyKey());
    expect(reply.status, JSON.stringify(reply.body)).toBe(202);
  });

  it("refuses a retailer admitted with a mistyped address", async () => {
    const before = await counts();
    const reply = await admin.post("/v1/members", { kind: "retailer", name: "Toko Typo", address: wrongChecksum(lettered()) });
    expectError(reply, 400, "RC_BAD_CHECKSUM", "body/address");
    expect(await counts()).toEqual(before);
  });

  it("refuses a wrong checksum in a path parameter", async () => {
    expectError(await admin.get(`/v1/collectors/${wrongChecksum(collector)}`), 400, "RC_BAD_CHECKSUM", "params/address");
    expect((await admin.get(`/v1/collectors/${collector.toLowerCase()}`)).status).toBe(200);
  });

  it("answers fund-flow?sponsor= with a wrong checksum with 400, not 500", async () => {
    const reply = await admin.get(`/v1/sponsors/me/fund-flow?sponsor=${wrongChecksum(lettered())}`);
    expectError(reply, 400, "RC_BAD_CHECKSUM", "querystring/sponsor");
  });

  it("checks the checksum of every address a request can carry", async () => {
    const doc = stack.app.swagger() as any;
    const unchecked: string[] = [];
    const walk = (schema: any, where: string) => {
      if (!schema || typeof schema !== "object") return;
      if (schema.pattern === "^0x[0-9a-fA-F]{40}$" && schema["x-eip55"] !== true) unchecked.push(where);
      for (const [key, inner] of Object.entries(schema)) walk(inner, `${where}/${key}`);
    };
    let addresses = 0;
    JSON.stringify(doc, (_key, value) => (value?.pattern === "^0x[0-9a-fA-F]{40}$" ? (addresses++, value) : value));
    for (const [path, item] of Object.entries<any>(doc.paths)) {
      for (const [method, op] of Object.entries<any>(item)) {
        for (const param of op.parameters ?? []) walk(param.schema, `${method} ${path} ${param.in}/${param.name}`);
        walk(op.requestBody, `${method} ${path} body`);
      }
    }
    expect(addresses).toBeGreaterThan(10);
    expect(unchecked).toEqual([]);
  });
});

describe("no 500 from input", () => {
  it.each([
    ["a member name", "/v1/members", () => ({ kind: "brand", name: "Eco\u0000Soap" }), "body/name"],
    ["a collector's display name", "/v1/collectors", () => ({ address: Wallet.createRandom().address, displayName: "Sa\u0000ri" }), "body/displayName"],
    ["a program name", "/v1/programs", () => ({ name: "Cans\u0000", symbol: "CAN", kind: "recycling", rates: { PET: "1" } }), "body/name"],
  ])("refuses a NUL byte in %s with 400, writing nothing", async (_what, url, body, field) => {
    const before = await counts();
    const api = url === "/v1/collectors" ? point : admin;
    expectError(await api.post(url, body(), idempotencyKey()), 400, "RC_VALIDATION", field, "NUL");
    expect(await counts()).toEqual(before);
  });

  it("refuses a NUL byte in a query string", async () => {
    expectError(await point.get(`/v1/collections?programId=${programId}&since=2030-01-01T00:00:00Z%00`), 400, "RC_VALIDATION", "querystring/since");
  });

  it.each(["0000-01-01T00:00:00Z", "1969-12-31T23:59:59Z", "2030-02-30T00:00:00Z", "2030-01-01T23:59:60Z", "2030-01-01T24:00:00Z", "9999-12-31T23:00:00-05:00"])(
    "refuses since=%s with 400",
    async (since) => {
      const reply = await point.get(`/v1/collections?programId=${programId}&since=${encodeURIComponent(since)}`);
      expectError(reply, 400, "RC_VALIDATION", "querystring/since", "date-time");
    },
  );

  it("still answers a sane since", async () => {
    const reply = await point.get(`/v1/collections?programId=${programId}&since=${encodeURIComponent("2020-01-01T00:00:00+07:00")}`);
    expect(reply.status, JSON.stringify(reply.body)).toBe(200);
  });

  const loyalty = (rules: unknown) => ({ name: "Refill", symbol: "RFL", kind: "loyalty", rules });
  it.each([
    ["an event key outside the pattern", { events: { Buy: { fixed: "1" } } }, "body/rules/events/Buy is not allowed"],
    ["an event key with a space", { events: { "buy now": { fixed: "1" } } }, "body/rules/events/buy now is not allowed"],
    ["a null rule", { events: { buy: null } }, "body/rules/events/buy must be object"],
    ["a rule that is a string", { events: { buy: "1" } }, "body/rules/events/buy must be object"],
    ["a null rule under a bad key", { events: { "": null } }, "body/rules/events/ is not allowed"],
    ["a campaign from year 0", { events: { buy: { fixed: "1" } }, campaigns: [{ name: "Old", from: "0000-01-01T00:00:00Z", to: "2030-01-01T00:00:00Z", multiplierBps: 20_000 }] }, "body/rules/campaigns/0/from"],
  ])("refuses program rules with %s", async (_what, rules, message) => {
    const before = await counts();
    expectError(await admin.post("/v1/programs", loyalty(rules)), 400, "RC_VALIDATION", message);
    expect(await counts()).toEqual(before);
  });
});

describe("validation messages", () => {
  it("name each field and list every problem", async () => {
    const reply = await point.post("/v1/collections", { programId: 0, collector: "0x12", material: "STEEL", grams: 0, bonus: 1 }, idempotencyKey());
    expectError(reply, 400, "RC_VALIDATION", "body/programId must be >= 1", "body/grams must be >= 1", "body/collector must match pattern", "body/material must be one of: PET, HDPE", "body/bonus is not allowed");
    expect(reply.body.error.message.split("; ")).toHaveLength(5);
  });

  it("answer 30,000 wrong items in a 60 KB body quickly, listing the first problems", async () => {
    const brand = await admit(stack, "brand", "Hooks");
    const body = `{"url":"https://example.com/hook","events":[${Array(30_000).fill("1").join(",")}]}`;
    const started = Date.now();
    const reply = await brand.api.post("/v1/webhooks", body, { "content-type": "application/json" });
    expect(Date.now() - started).toBeLessThan(2_000);
    expectError(reply, 400, "RC_VALIDATION", "body/events must NOT have more than 7 items", "body/events/0 must be one of: credit.confirmed", "; and more");
  });

  it("name a missing field", async () => {
    expectError(await point.post("/v1/collections", { programId, collector }, idempotencyKey()), 400, "RC_VALIDATION", "body/material is required", "body/grams is required");
  });

  it("answer RC_VALIDATION when a wrong checksum is not all that is wrong", async () => {
    const reply = await point.post("/v1/collections", { programId, collector: wrongChecksum(collector), material: "PET", grams: 0 }, idempotencyKey());
    expectError(reply, 400, "RC_VALIDATION", "body/collector has a wrong EIP-55 checksum", "body/grams must be >= 1");
  });
});

/** One raw HTTP exchange with the listening app: Node's own parser errors never reach `inject`. */
function rawExchange(port: number, text: string): Promise<string> {
  return new Promise((resolve, reject) => {
    // Written, not ended: a half-closed socket may be closed before the answer. The server closes it after answering.
    const socket = connect(port, "127.0.0.1", () => socket.write(text));
    socket.setTimeout(5_000, () => socket.destroy());
    let answer = "";
    socket.on("data", (chunk) => (answer += chunk.toString()));
    socket.on("close", () => resolve(answer));
    socket.on("error", reject);
  });
}

describe("errors Node and Fastify raise", () => {
  let port: number;
  beforeAll(async () => {
    await stack.app.listen({ port: 0, host: "127.0.0.1" });
    port = (stack.app.server.address() as { port: number }).port;
  });

  it("answers headers over 16 KB with 431 in the RC shape", async () => {
    const answer = await new Promise<{ status: number; body: string; type: string }>((resolve, reject) => {
      const req = httpRequest({ host: "127.0.0.1", port, path: "/health", headers: { "x-padding": "x".repeat(20 * 1024) } }, (res) => {
        let body = "";
        res.on("data", (c) => (body += c));
        res.on("end", () => resolve({ status: res.statusCode!, body, type: String(res.headers["content-type"]) }));
      });
      req.on("error", reject);
      req.end();
    });
    expect(answer.status).toBe(431);
    expect(answer.type).toContain("application/json");
    expect(JSON.parse(answer.body)).toEqual({ error: { code: "RC_HEADERS_TOO_LARGE", message: expect.stringContaining("16 KB") } });
  });

  it("answers malformed HTTP with 400 in the RC shape", async () => {
    const answer = await rawExchange(port, "GET /health HTTP/1.1\r\nHost: x\r\nContent-Length: abc\r\n\r\n");
    expect(answer).toMatch(/^HTTP\/1\.1 400 /);
    expect(JSON.parse(answer.slice(answer.indexOf("\r\n\r\n") + 4))).toEqual({ error: { code: "RC_BAD_REQUEST", message: expect.any(String) } });
  });

  it.each([
    ["an unknown method", "FOO /health HTTP/1.1\r\nHost: x\r\n\r\n", 400],
    ["OPTIONS", "OPTIONS /v1/members HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n", 404],
    ["a malformed percent-encoding", "GET /v1/collectors/%zz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n", 400],
    ["a JSON-like media type", 'POST /v1/members HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer KEY\r\nConnection: close\r\nContent-Type: application/vnd.api+json\r\nContent-Length: 2\r\n\r\n{}', 415],
    ["two Content-Length headers", "POST /v1/members HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\nContent-Length: 3\r\n\r\n{}", 400],
    ["a body over 64 KB, chunked", `POST /v1/members HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer KEY\r\nConnection: close\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n10000\r\n${"x".repeat(0x10000)}\r\n10\r\n${"x".repeat(16)}\r\n0\r\n\r\n`, 413],
  ])("answers %s in the RC shape", async (_what, text, status) => {
    const answer = await rawExchange(port, text.replace("KEY", stack.adminKey));
    expect(answer, answer).toMatch(new RegExp(`^HTTP/1\\.1 ${status} `));
    const body = JSON.parse(answer.slice(answer.indexOf("\r\n\r\n") + 4));
    expect(body.error.code, answer).toMatch(/^RC_[A-Z0-9_]+$/);
    expect(body.error.message.length).toBeGreaterThan(0);
  });

  it("answers a method a route does not have, a bad JSON and a wrong media type in the RC shape", async () => {
    const put = await stack.app.inject({ method: "PUT", url: "/v1/members", headers: { authorization: `Bearer ${stack.adminKey}` } });
    expect(put.statusCode).toBe(404);
    expect(put.json().error.code).toBe("RC_ROUTE_NOT_FOUND");
    const json = await admin.post("/v1/members", "{", { "content-type": "application/json" });
    expectError(json, 400, "RC_INVALID_JSON");
    const media = await admin.post("/v1/members", "kind=brand", { "content-type": "application/x-www-form-urlencoded" });
    expectError(media, 415, "RC_UNSUPPORTED_MEDIA_TYPE");
  });
});

describe("headers", () => {
  it("sends answers carrying an API key, a webhook secret, a claim code or a session token with no-store", async () => {
    const member = await admin.post("/v1/members", { kind: "brand", name: "Keyed" });
    expect(member.status).toBe(201);
    expect(member.raw.headers["cache-control"]).toBe("no-store");
    const session = await signIn(stack, Wallet.createRandom());
    expect(session.status, JSON.stringify(session.body)).toBe(200);
    expect(session.raw.headers["cache-control"]).toBe("no-store");
    const routes: string[] = [];
    const doc = stack.app.swagger() as any;
    for (const [path, item] of Object.entries<any>(doc.paths)) {
      for (const [method, op] of Object.entries<any>(item)) if (JSON.stringify(op.responses ?? {}).includes('"x-secret":true')) routes.push(`${method} ${path}`);
    }
    expect(routes.sort()).toEqual(["post /v1/auth/collector", "post /v1/collectors/phone/claim-code", "post /v1/members", "post /v1/members/{id}/rotate-key", "post /v1/webhooks"]);
    expect((await admin.get("/v1/members/me")).raw.headers["cache-control"]).toBeUndefined();
  });

  it("serves /docs with a CSP, nosniff, a referrer policy and no framing", async () => {
    for (const url of ["/docs", "/docs/static/index.html"]) {
      const reply = await stack.app.inject({ method: "GET", url });
      expect(reply.statusCode, url).toBeLessThan(400);
      expect(reply.headers["content-security-policy"]).toMatch(/default-src 'self'/);
      expect(reply.headers["content-security-policy"]).toContain("frame-ancestors 'none'");
      expect(reply.headers["x-content-type-options"]).toBe("nosniff");
      expect(reply.headers["referrer-policy"]).toBe("no-referrer");
      expect(reply.headers["x-frame-options"]).toBe("DENY");
    }
  });
});

