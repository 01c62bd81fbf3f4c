import { Wallet } from "ethers";
import type { Api } from "../../../services/api/app.js";
import { buildApp } from "../../../services/api/app.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { admit } from "../../support/earn-fixtures.js";
import { startStack, type Stack } from "../../support/stack.js";

// The limits a deployment gets by default; the second and third apps set lower ones to show the shared counters.
let stack: Stack;
let apiA: Api;
let apiB: Api;
beforeAll(async () => {
  stack = await startStack();
  const config = { ...stack.config, rateLimits: { ...stack.config.rateLimits, perIp: 20, perKey: 10 } };
  apiA = await buildApp({ config, chain: stack.chain, logger: false });
  apiB = await buildApp({ config, chain: stack.chain, logger: false });
});
afterAll(async () => {
  await apiA?.close();
  await apiB?.close();
  await stack?.close();
});

let nextIp = 0;
/** A client address of its own for each test: the limits count per address. */
const freshIp = () => `198.51.100.${++nextIp}`;
const call = (app: Api, ip: string, method: "GET" | "POST", url: string, options: { key?: string; body?: object } = {}) =>
  app.inject({
    method,
    url,
    remoteAddress: ip,
    headers: options.key ? { authorization: `Bearer ${options.key}` } : {},
    ...(options.body ? { payload: options.body } : {}),
  });

const expectLimited = (reply: Awaited<ReturnType<typeof call>>) => {
  expect(reply.statusCode).toBe(429);
  expect(reply.json()).toEqual({ error: { code: "RC_RATE_LIMITED", message: expect.stringMatching(/^too many/) } });
  expect(Number(reply.headers["retry-after"])).toBeGreaterThan(0);
  expect(Number(reply.headers["retry-after"])).toBeLessThanOrEqual(3_600);
};

describe("rate limits", () => {
  it("defaults to limits a deployment would use", () => {
    expect(stack.config.rateLimits).toEqual({
      perIp: 3_000,
      perKey: 3_000,
      authFailuresPerIp: 30,
      loginsPerIp: 30,
      claimsPerIp: 30,
      claimsPerPhone: 10,
      paymentsPerIp: 300,
    });
  });

  it("refuses wrong API keys from an address past 30 a minute, then its keys unlooked-up, while other addresses and keyless calls go on", async () => {
    const member = await admit(stack, "processor", "Honest Processor");
    const attacker = freshIp();
    const statuses: number[] = [];
    for (let i = 0; i < 34; i++) statuses.push((await call(stack.app, attacker, "GET", "/v1/members/me", { key: `rck_wrong${i}` })).statusCode);
    // The 401 is counted once answered: allow the counter one request to catch up.
    expect(statuses.slice(0, 30)).toEqual(Array(30).fill(401));
    expect(statuses.slice(31)).toEqual([429, 429, 429]);
    expectLimited(await call(stack.app, attacker, "GET", "/v1/members/me", { key: `rck_wrong-again` }));
    // Even a right key from that address waits; keyless calls and other addresses are not affected.
    expectLimited(await call(stack.app, attacker, "GET", "/v1/members/me", { key: member.key }));
    expect((await call(stack.app, attacker, "GET", "/v1/network")).statusCode).toBe(200);
    expect((await call(stack.app, freshIp(), "GET", "/v1/members/me", { key: member.key })).statusCode).toBe(200);
    const keys = await stack.app.redis.keys(`{${stack.config.redisPrefix}}:rate-limit:*`);
    expect(keys.length).toBeGreaterThan(0);
  });

  it("limits sign-in and claims per address, and claims per phone number whatever the address", async () => {
    const ip = freshIp();
    const login = () => call(stack.app, ip, "POST", "/v1/auth/collector", { body: { address: Wallet.createRandom().address, issuedAt: 1, signature: "0x00" } });
    for (let i = 0; i < 30; i++) expect((await login()).statusCode).not.toBe(429);
    expectLimited(await login());

    const claimer = freshIp();
    const claim = (ip: string, phone: string) => call(stack.app, ip, "POST", "/v1/claims", { body: { phone, code: "123456", address: Wallet.createRandom().address } });
    for (let i = 0; i < 30; i++) expect((await claim(claimer, `+62811000${String(i).padStart(4, "0")}`)).statusCode).toBe(400);
    expectLimited(await claim(claimer, "+6281100009999"));

    // Ten tries at one number from ten addresses, registered or not: the eleventh waits an hour.
    const phone = "+6281299998888";
    for (let i = 0; i < 10; i++) expect((await claim(freshIp(), phone)).statusCode).toBe(400);
    const limited = await claim(freshIp(), phone);
    expectLimited(limited);
    expect(Number(limited.headers["retry-after"])).toBeGreaterThan(3_000);
    expect((await claim(freshIp(), "+6281299997777")).statusCode).toBe(400);
  });

  it("limits payment submissions per address (300 a minute)", async () => {
    const ip = freshIp();
    const pay = () => call(stack.app, ip, "POST", "/v1/payments", { body: { voucher: "recircle:v1:not-a-voucher" } });
    for (let i = 0; i < 300; i++) expect((await pay()).statusCode).not.toBe(429);
    expectLimited(await pay());
    expect((await call(stack.app, freshIp(), "POST", "/v1/payments", { body: { voucher: "recircle:v1:x" } })).statusCode).not.toBe(429);
  });

  it("counts every request per address and per key in Redis, shared by every API process", async () => {
    const ip = freshIp();
    // Twenty requests from one address, alternating between two API processes: the 21st is refused by either.
    for (let i = 0; i < 20; i++) expect((await call(i % 2 ? apiA : apiB, ip, "GET", "/health")).statusCode).toBe(200);
    expectLimited(await call(apiA, ip, "GET", "/health"));
    expectLimited(await call(apiB, ip, "GET", "/v1/network"));

    // Ten requests with one key, from several addresses: the key's limit.
    const member = await admit(stack, "processor", "Chatty Processor");
    for (let i = 0; i < 10; i++) expect((await call(i % 2 ? apiA : apiB, freshIp(), "GET", "/v1/members/me", { key: member.key })).statusCode).toBe(200);
    expectLimited(await call(apiA, freshIp(), "GET", "/v1/members/me", { key: member.key }));
  });
});
