import { afterAll, beforeAll, expect, it } from "vitest";
import { generateCases } from "../../../harness/fuzz/generate.js";
import { formatReport, runFuzz, type Send } from "../../../harness/fuzz/run.js";
import { startStack, type Stack } from "../../support/stack.js";

let stack: Stack;

beforeAll(async () => {
  // No batcher: minting writes rows in the background, which would look like a rejected request writing.
  stack = await startStack({ runBatcher: false });
});

afterAll(async () => {
  await stack?.close();
});

it("answers 200 generated requests with no 5xx, coded 4xx and no rows written by a rejected one", async () => {
  const send: Send = async ({ method, url, headers, body }) => {
    const reply = await stack.app.inject({ method: method as "GET", url, headers, ...(body !== undefined ? { payload: body } : {}) });
    return { status: reply.statusCode, body: reply.body };
  };
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
