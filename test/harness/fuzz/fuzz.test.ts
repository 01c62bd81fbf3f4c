import { afterAll, beforeAll, expect, it } from "vitest";
import { badChecksum, generateCases, HOSTILE_KINDS } from "../../../harness/fuzz/generate.js";
import { prng } from "../../../harness/lib/random.js";
import { formatReport, runFuzz, type Send } from "../../../harness/fuzz/run.js";
import { SSRF_URLS } from "../../../harness/fuzz/ssrf-urls.js";
import { FUZZ_RATE_LIMITS } from "../../../harness/lib/load-limits.js";
import { startStack, type Stack } from "../../support/stack.js";

let stack: Stack;

beforeAll(async () => {
  // No batcher: minting writes rows in the background, which would look like a rejected request writing.
  stack = await startStack({ runBatcher: false, env: FUZZ_RATE_LIMITS });
});

afterAll(async () => {
  await stack?.close();
});

const send: Send = async ({ method, url, headers, body }) => {
  const reply = await stack.app.inject({ method: method as "GET", url, headers, ...(body !== undefined ? { payload: body } : {}) });
  return { status: reply.statusCode, body: reply.body };
};

it("answers 200 generated requests with no 5xx, coded 4xx and no rows written by a rejected one", async () => {
  const seed = 7;
  const report = await runFuzz({ send, sql: stack.sql, adminKey: stack.adminKey, seed, limit: 200 });
  expect(report.total).toBeGreaterThan(150);
  // The printed report, not a deep diff: it names each case that broke a rule.
  expect(report.violations.length, formatReport(report, seed)).toBe(0);
  // Signed cases get past the signature checks to the rules behind them, and forged ones stop there.
  expect(report.signed).toMatchObject({
    "login-valid": "200",
    "login-stale": "400 RC_LOGIN_STALE",
    "payment-no-balance": "400 RC_INSUFFICIENT_BALANCE",
    "voucher-payment-no-balance": "400 RC_INSUFFICIENT_BALANCE",
    "payment-by-stranger": "400 RC_INVALID_SIGNATURE",
    "payment-stranger-payee": "400 RC_PAYEE_NOT_ACCEPTOR",
    // The retailer holds no tokens: a redemption stops at its balance, before the permit.
    "redeem-by-stranger": "400 RC_INSUFFICIENT_BALANCE",
  });
  // Every URL of the SSRF list, subscribed with a member's key, refused for its address.
  expect(Object.keys(report.ssrf)).toHaveLength(SSRF_URLS.length);
  expect(new Set(Object.values(report.ssrf))).toEqual(new Set(["400 RC_WEBHOOK_URL_BLOCKED"]));
}, 30_000);

it("generates the same cases from the same seed and document", async () => {
  const doc = JSON.parse((await stack.app.inject({ method: "GET", url: "/openapi.json" })).body);
  const once = generateCases(doc, { seed: 11, limit: 300 });
  expect(generateCases(doc, { seed: 11, limit: 300 })).toEqual(once);
  expect(generateCases(doc, { seed: 12, limit: 300 })).not.toEqual(once);
  // Round-robin dealing: even a short run reaches every operation in the document.
  const operations = Object.values<Record<string, unknown>>(doc.paths).reduce((n, item) => n + Object.keys(item).length, 0);
  expect(new Set(once.map((c) => c.route)).size).toBe(operations);
});

it("generates NUL bytes, bad date-times, wrong checksums and bad record keys and values where such fields are", async () => {
  const doc = JSON.parse((await stack.app.inject({ method: "GET", url: "/openapi.json" })).body);
  const kinds = generateCases(doc, { seed: 5, limit: 100_000 }).map((c) => `${c.route} ${c.kind}`);
  for (const expected of [
    "POST /v1/members nul:name",
    "POST /v1/members bad-checksum:address",
    "POST /v1/collections bad-checksum:collector",
    "GET /v1/collections query:since:date-year0",
    "GET /v1/sponsors/me/fund-flow query:sponsor:bad-checksum",
    "GET /v1/collectors/{address} path:address:bad-checksum",
  ]) {
    expect(kinds).toContain(expected);
  }
  expect(kinds.some((k) => /^POST \/v1\/programs record-(key|null):rules\.events$/.test(k))).toBe(true);
  const random = prng(1);
  for (let i = 0; i < 50; i++) {
    const address = badChecksum(random);
    expect(address).toMatch(/^0x(?=.*[a-f])(?=.*[A-F])[0-9a-fA-F]{40}$/);
  }
});

it("answers every hostile value with a coded 4xx that writes nothing", async () => {
  const seed = 3;
  const report = await runFuzz({ send, sql: stack.sql, adminKey: stack.adminKey, seed, limit: 4_000, skip: (c) => !HOSTILE_KINDS.test(c.kind) });
  expect(report.total).toBeGreaterThan(100);
  expect(report.violations.length, formatReport(report, seed)).toBe(0);
  expect(Object.keys(report.byClass), formatReport(report, seed)).toEqual(["4xx"]);
}, 60_000);

it("seeds valid bodies from the document's hand-written examples, with the scene's values put in", async () => {
  const doc = JSON.parse((await stack.app.inject({ method: "GET", url: "/openapi.json" })).body);
  const collector = "0x8ba1f109551bD432803012645Ac136ddd64DBA72";
  const cases = generateCases(doc, { seed: 3, limit: 100_000, known: { programId: 42, collector, phone: undefined } });
  const dropOffs = cases.filter((c) => c.route === "POST /v1/collections" && c.kind === "valid").map((c) => JSON.parse(c.body!));
  expect(dropOffs.length).toBeGreaterThan(0);
  // The example naming a collector, never the one naming a phone (the scene leaves phone out), with the scene's ids.
  for (const body of dropOffs) expect(body).toEqual({ programId: 42, collector, material: "PET", grams: 2500, evidenceHash: expect.stringMatching(/^0x[0-9a-f]{64}$/) });
});
