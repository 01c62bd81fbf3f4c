import { Wallet, ZeroAddress } from "ethers";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { client } from "../../support/client.js";
import { admit, idempotencyKey, recyclingScene } from "../../support/earn-fixtures.js";
import { startStack, type Stack } from "../../support/stack.js";

interface Scene {
  keys: Record<Who, string | undefined>;
  recycling: number;
  loyalty: number;
  collector: string;
  unregistered: string;
}
type Who = "admin" | "point" | "brand" | "retailer" | "outsider" | "inactive" | "anonymous" | "forged";
type Body = Record<string, unknown> | unknown[] | string;

interface Row {
  name: string;
  who: Who;
  url: string | ((s: Scene) => string);
  body?: (s: Scene) => Body;
  headers?: Record<string, string>;
  /** Leave out the Idempotency-Key every row otherwise sends. */
  noKey?: boolean;
  status: number;
  code?: string;
}

let stack: Stack;
let scene: Scene;

beforeAll(async () => {
  stack = await startStack({ runBatcher: false });
  const { admin, program, point, collector } = await recyclingScene(stack);
  const loyalty = await admin.post("/v1/programs", {
    name: "Refill Rewards",
    symbol: "RFL",
    kind: "loyalty",
    rules: { events: { purchase: { perUnit: "0.5" }, refill: { perUnit: "1000" }, review: { fixed: "1" } } },
  });
  expect(loyalty.status, JSON.stringify(loyalty.body)).toBe(201);
  const brand = await admit(stack, "brand", "Refill Co");
  expect((await admin.post(`/v1/programs/${loyalty.body.id}/members`, { memberId: brand.id })).status).toBe(201);
  const retailer = await admit(stack, "retailer", "Warung Bu Tini", Wallet.createRandom().address);
  const outsider = await admit(stack, "collection_point", "Point Not Granted");
  const inactive = await admit(stack, "collection_point", "Point Closed");
  expect((await admin.post(`/v1/programs/${program.id}/members`, { memberId: inactive.id })).status).toBe(201);
  await stack.sql`update members set active = false where id = ${inactive.id}`;
  scene = {
    keys: {
      admin: stack.adminKey,
      point: point.key,
      brand: brand.key,
      retailer: retailer.key,
      outsider: outsider.key,
      inactive: inactive.key,
      anonymous: undefined,
      forged: `rc_${"0".repeat(43)}`,
    },
    recycling: program.id,
    loyalty: loyalty.body.id,
    collector: collector.address,
    unregistered: Wallet.createRandom().address,
  };
});
afterAll(() => stack?.close());

/** A valid body of a route with `patch` applied; `omit` removes fields. */
const valid =
  (base: (s: Scene) => Record<string, unknown>) =>
  (patch: Record<string, unknown> = {}, ...omit: string[]) =>
  (s: Scene) => {
    const body: Record<string, unknown> = { ...base(s), ...patch };
    for (const field of omit) delete body[field];
    return body;
  };
const collection = valid((s) => ({ programId: s.recycling, collector: s.collector, material: "PET", grams: 1_000 }));
const loyalty = valid((s) => ({ programId: s.loyalty, customer: s.collector, type: "purchase", value: "25.9" }));
const collector = valid(() => ({ address: Wallet.createRandom().address, displayName: "Budi" }));
const member = valid(() => ({ kind: "brand", name: "Eco Soap" }));
const program = valid(() => ({ name: "Cans", symbol: "CAN", kind: "recycling", rates: { ALUMINIUM: "4" } }));

const hex = (n: number) => "ab".repeat(n).slice(0, n);
const json = { "content-type": "application/json" };

const C = "/v1/collections";
const collectionRows: Row[] = [
  ...["programId", "collector", "material", "grams"].map((field) => ({
    name: `collection without ${field}`, who: "point" as const, url: C, body: collection({}, field), status: 400, code: "RC_VALIDATION",
  })),
  { name: "collection as an empty object", who: "point", url: C, body: () => ({}), status: 400, code: "RC_VALIDATION" },
  { name: "collection as an array", who: "point", url: C, body: () => [], status: 400, code: "RC_VALIDATION" },
  { name: "collection with an extra field", who: "point", url: C, body: collection({ bonus: 10 }), status: 400, code: "RC_VALIDATION" },
  ...(
    [
      ["grams as a string", { grams: "100" }],
      ["grams null", { grams: null }],
      ["negative grams", { grams: -5 }],
      ["zero grams", { grams: 0 }],
      ["fractional grams", { grams: 1.5 }],
      ["grams over 10 t", { grams: 10_000_001 }],
      ["grams over 2^53", { grams: 2 ** 53 + 2 }],
      ["grams 1e300", { grams: 1e300 }],
      ["programId as a string", { programId: "1" }],
      ["programId zero", { programId: 0 }],
      ["programId 2^63", { programId: 2 ** 63 }],
      ["programId 1e300", { programId: 1e300 }],
      ["collector as a number", { collector: 12345 }],
      ["a short collector address", { collector: "0x1234" }],
      ["a non-hex collector address", { collector: `0x${"g".repeat(40)}` }],
      ["a collector address without 0x", { collector: hex(40) }],
      ["a collector address with 0X", { collector: `0X${hex(40)}` }],
      ["a collector address one digit too long", { collector: `0x${hex(41)}` }],
      ["an unknown material", { material: "STEEL" }],
      ["a lower-case material", { material: "pet" }],
      ["a short evidenceHash", { evidenceHash: `0x${hex(63)}` }],
      ["an evidenceHash without 0x", { evidenceHash: hex(64) }],
      ["a non-hex evidenceHash", { evidenceHash: `0x${"z".repeat(64)}` }],
      ["an evidenceHash as a number", { evidenceHash: 12 }],
    ] as const
  ).map(([what, patch]) => ({ name: `collection with ${what}`, who: "point" as const, url: C, body: collection(patch), status: 400, code: "RC_VALIDATION" })),
  {
    name: "a 2 MB collection",
    who: "point",
    url: C,
    body: (s) => JSON.stringify({ ...collection()(s), padding: "x".repeat(2 * 1024 * 1024) }),
    headers: json,
    status: 413,
    code: "RC_BODY_TOO_LARGE",
  },
  { name: "invalid JSON", who: "point", url: C, body: () => '{"programId": 1,', headers: json, status: 400, code: "RC_INVALID_JSON" },
  { name: "an empty JSON body", who: "point", url: C, body: () => "", headers: json, status: 400, code: "RC_INVALID_JSON" },
  { name: "an XML body", who: "point", url: C, body: () => "<collection/>", headers: { "content-type": "application/xml" }, status: 415, code: "RC_UNSUPPORTED_MEDIA_TYPE" },
  { name: "a form body", who: "point", url: C, body: () => "grams=100", headers: { "content-type": "application/x-www-form-urlencoded" }, status: 415, code: "RC_UNSUPPORTED_MEDIA_TYPE" },
  { name: "a text/plain body", who: "point", url: C, body: (s) => JSON.stringify(collection()(s)), headers: { "content-type": "text/plain" }, status: 415, code: "RC_UNSUPPORTED_MEDIA_TYPE" },
  { name: "no Idempotency-Key", who: "point", url: C, body: collection(), noKey: true, status: 400, code: "RC_VALIDATION" },
  { name: "an Idempotency-Key of 201 characters", who: "point", url: C, body: collection(), headers: { "idempotency-key": "k".repeat(201) }, status: 400, code: "RC_VALIDATION" },
  { name: "an Idempotency-Key with a space", who: "point", url: C, body: collection(), headers: { "idempotency-key": "a b" }, status: 400, code: "RC_VALIDATION" },
  { name: "no API key", who: "anonymous", url: C, body: collection(), status: 401, code: "RC_UNAUTHORIZED" },
  { name: "a wrong API key", who: "forged", url: C, body: collection(), status: 401, code: "RC_UNAUTHORIZED" },
  { name: "a Basic authorization", who: "anonymous", url: C, body: collection(), headers: { authorization: "Basic dTpw" }, status: 401, code: "RC_UNAUTHORIZED" },
  { name: "a brand key on collections", who: "brand", url: C, body: collection(), status: 403, code: "RC_WRONG_ROLE" },
  { name: "a retailer key on collections", who: "retailer", url: C, body: collection(), status: 403, code: "RC_WRONG_ROLE" },
  { name: "the admin key on collections", who: "admin", url: C, body: collection(), status: 403, code: "RC_WRONG_ROLE" },
  { name: "an inactive point", who: "inactive", url: C, body: collection(), status: 403, code: "RC_MEMBER_INACTIVE" },
  { name: "a point not granted the program", who: "outsider", url: C, body: collection(), status: 403, code: "RC_NOT_PROGRAM_ISSUER" },
  { name: "an unknown program", who: "point", url: C, body: collection({ programId: 999_999 }), status: 404, code: "RC_PROGRAM_NOT_FOUND" },
  { name: "a loyalty program on collections", who: "point", url: C, body: (s) => collection({ programId: s.loyalty })(s), status: 400, code: "RC_PROGRAM_KIND" },
  { name: "an unregistered collector", who: "point", url: C, body: (s) => collection({ collector: s.unregistered })(s), status: 404, code: "RC_COLLECTOR_NOT_FOUND" },
  { name: "the zero address as collector", who: "point", url: C, body: collection({ collector: ZeroAddress }), status: 404, code: "RC_COLLECTOR_NOT_FOUND" },
  { name: "a material the program does not pay for", who: "point", url: C, body: collection({ material: "GLASS" }), status: 400, code: "RC_MATERIAL_NOT_ACCEPTED" },
];

const L = "/v1/loyalty-events";
const loyaltyRows: Row[] = [
  { name: "a recycling program on loyalty events", who: "brand", url: L, body: (s) => loyalty({ programId: s.recycling })(s), status: 400, code: "RC_PROGRAM_KIND" },
  { name: "an unknown loyalty event type", who: "brand", url: L, body: loyalty({ type: "refund" }), status: 400, code: "RC_EVENT_TYPE_UNKNOWN" },
  { name: "an upper-case loyalty event type", who: "brand", url: L, body: loyalty({ type: "Purchase" }), status: 400, code: "RC_VALIDATION" },
  { name: "a per-unit event without value", who: "brand", url: L, body: loyalty({}, "value"), status: 400, code: "RC_VALUE_REQUIRED" },
  { name: "value as a number", who: "brand", url: L, body: loyalty({ value: 25 }), status: 400, code: "RC_VALIDATION" },
  { name: "a negative value", who: "brand", url: L, body: loyalty({ value: "-1" }), status: 400, code: "RC_VALIDATION" },
  { name: "a value with 19 decimals", who: "brand", url: L, body: loyalty({ value: `0.${"1".repeat(19)}` }), status: 400, code: "RC_VALIDATION" },
  { name: "a value over uint256", who: "brand", url: L, body: loyalty({ value: "9".repeat(60) }), status: 400, code: "RC_INVALID_AMOUNT" },
  { name: "a credit over uint256", who: "brand", url: L, body: loyalty({ type: "refill", value: `1${"0".repeat(59)}` }), status: 400, code: "RC_CREDIT_TOO_LARGE" },
  { name: "the zero address as customer", who: "brand", url: L, body: loyalty({ customer: ZeroAddress }), status: 400, code: "RC_INVALID_ADDRESS" },
  { name: "a customer address without 0x", who: "brand", url: L, body: loyalty({ customer: hex(40) }), status: 400, code: "RC_VALIDATION" },
  { name: "a loyalty event with an extra field", who: "brand", url: L, body: loyalty({ points: 5 }), status: 400, code: "RC_VALIDATION" },
  { name: "a loyalty event without Idempotency-Key", who: "brand", url: L, body: loyalty(), noKey: true, status: 400, code: "RC_VALIDATION" },
  { name: "a point key on loyalty events", who: "point", url: L, body: loyalty(), status: 403, code: "RC_WRONG_ROLE" },
  { name: "an unknown program on loyalty events", who: "brand", url: L, body: loyalty({ programId: 999_999 }), status: 404, code: "RC_PROGRAM_NOT_FOUND" },
];

const otherRows: Row[] = [
  { name: "a collector without address", who: "point", url: "/v1/collectors", body: collector({}, "address"), status: 400, code: "RC_VALIDATION" },
  { name: "a collector address as a number", who: "point", url: "/v1/collectors", body: collector({ address: 42 }), status: 400, code: "RC_VALIDATION" },
  { name: "a short collector address on register", who: "point", url: "/v1/collectors", body: collector({ address: "0xabc" }), status: 400, code: "RC_VALIDATION" },
  { name: "the zero address as a collector", who: "point", url: "/v1/collectors", body: collector({ address: ZeroAddress }), status: 400, code: "RC_INVALID_ADDRESS" },
  { name: "an empty displayName", who: "point", url: "/v1/collectors", body: collector({ displayName: "" }), status: 400, code: "RC_VALIDATION" },
  { name: "a collector with an extra field", who: "point", url: "/v1/collectors", body: collector({ phone: "0812" }), status: 400, code: "RC_VALIDATION" },
  { name: "a brand key on collectors", who: "brand", url: "/v1/collectors", body: collector(), status: 403, code: "RC_WRONG_ROLE" },
  { name: "an unknown member kind", who: "admin", url: "/v1/members", body: member({ kind: "wizard" }), status: 400, code: "RC_VALIDATION" },
  { name: "a member without name", who: "admin", url: "/v1/members", body: member({}, "name"), status: 400, code: "RC_VALIDATION" },
  { name: "a member name of 201 characters", who: "admin", url: "/v1/members", body: member({ name: "n".repeat(201) }), status: 400, code: "RC_VALIDATION" },
  { name: "a retailer without address", who: "admin", url: "/v1/members", body: member({ kind: "retailer" }), status: 400, code: "RC_ADDRESS_REQUIRED" },
  { name: "a member with a non-hex address", who: "admin", url: "/v1/members", body: member({ address: `0x${"q".repeat(40)}` }), status: 400, code: "RC_VALIDATION" },
  { name: "a member with an extra field", who: "admin", url: "/v1/members", body: member({ apiKey: "mine" }), status: 400, code: "RC_VALIDATION" },
  { name: "a point key on members", who: "point", url: "/v1/members", body: member(), status: 403, code: "RC_WRONG_ROLE" },
  { name: "no API key on members", who: "anonymous", url: "/v1/members", body: member(), status: 401, code: "RC_UNAUTHORIZED" },
  { name: "a lower-case program symbol", who: "admin", url: "/v1/programs", body: program({ symbol: "can" }), status: 400, code: "RC_VALIDATION" },
  { name: "an unknown program kind", who: "admin", url: "/v1/programs", body: program({ kind: "charity" }), status: 400, code: "RC_VALIDATION" },
  { name: "a rate as a number", who: "admin", url: "/v1/programs", body: program({ rates: { ALUMINIUM: 4 } }), status: 400, code: "RC_VALIDATION" },
  { name: "a rate for an unknown material", who: "admin", url: "/v1/programs", body: program({ rates: { STEEL: "1" } }), status: 400, code: "RC_VALIDATION" },
  { name: "a recycling program without rates", who: "admin", url: "/v1/programs", body: program({ rates: {} }), status: 400, code: "RC_RATES_REQUIRED" },
  { name: "a recycling program with rules", who: "admin", url: "/v1/programs", body: program({ rules: { events: { buy: { fixed: "1" } } } }), status: 400, code: "RC_RULES_FOR_RECYCLING" },
  { name: "a loyalty program without rules", who: "admin", url: "/v1/programs", body: program({ kind: "loyalty" }, "rates"), status: 400, code: "RC_RULES_REQUIRED" },
  { name: "a loyalty rule with no amount", who: "admin", url: "/v1/programs", body: program({ kind: "loyalty", rules: { events: { buy: {} } } }, "rates"), status: 400, code: "RC_RULE_EMPTY" },
  {
    name: "a campaign ending before it starts",
    who: "admin",
    url: "/v1/programs",
    body: program({ kind: "loyalty", rules: { events: { buy: { fixed: "1" } }, campaigns: [{ name: "Back", from: "2030-02-01T00:00:00Z", to: "2030-01-01T00:00:00Z", multiplierBps: 20_000 }] } }, "rates"),
    status: 400,
    code: "RC_CAMPAIGN_WINDOW",
  },
  { name: "a redemption rate finer than the stablecoin", who: "admin", url: "/v1/programs", body: program({ redemptionRate: "0.0000001" }), status: 400, code: "RC_INVALID_AMOUNT" },
  { name: "a point key on programs", who: "point", url: "/v1/programs", body: program(), status: 403, code: "RC_WRONG_ROLE" },
  { name: "a grant to an unknown member", who: "admin", url: (s) => `/v1/programs/${s.recycling}/members`, body: () => ({ memberId: 999_999 }), status: 404, code: "RC_MEMBER_NOT_FOUND" },
  { name: "a grant to a member id over 2^53", who: "admin", url: (s) => `/v1/programs/${s.recycling}/members`, body: () => ({ memberId: 1e20 }), status: 400, code: "RC_VALIDATION" },
  { name: "a grant to an admin", who: "admin", url: (s) => `/v1/programs/${s.recycling}/members`, body: () => ({ memberId: 1 }), status: 400, code: "RC_MEMBER_KIND_NOT_GRANTABLE" },
  { name: "an unknown route", who: "point", url: "/v1/nowhere", body: collection(), status: 404, code: "RC_ROUTE_NOT_FOUND" },
  { name: "a misspelt route", who: "point", url: "/v1/collection", body: collection(), status: 404, code: "RC_ROUTE_NOT_FOUND" },
];

async function rowCounts() {
  const [counts] = await stack.sql`
    select (select count(*) from events) as events, (select count(*) from idempotency_keys) as keys,
           (select count(*) from collectors) as collectors, (select count(*) from members) as members,
           (select count(*) from programs) as programs, (select count(*) from program_members) as grants`;
  return counts;
}

function expectError(reply: { status: number; body: any }, status: number, code?: string) {
  expect(reply.status, JSON.stringify(reply.body)).toBe(status);
  expect(reply.body?.error?.code).toMatch(/^RC_[A-Z0-9_]+$/);
  if (code) expect(reply.body.error.code).toBe(code);
  expect(typeof reply.body.error.message).toBe("string");
  expect(reply.body.error.message.length).toBeGreaterThan(0);
}

describe("bad input", () => {
  it.each([...collectionRows, ...loyaltyRows, ...otherRows])("refuses $name with $status, writing nothing", async (row) => {
    const before = await rowCounts();
    const api = client(stack.app, scene.keys[row.who]);
    const headers = { ...(row.noKey ? {} : idempotencyKey()), ...row.headers };
    const url = typeof row.url === "string" ? row.url : row.url(scene);
    const reply = await api.post(url, row.body?.(scene), headers);
    expectError(reply, row.status, row.code);
    expect(await rowCounts()).toEqual(before);
  });

  it("answers another point's collection as missing", async () => {
    const { admin, program, point, collector: wallet } = await recyclingScene(stack);
    const other = await admit(stack, "collection_point", "Point Seberang");
    expect((await admin.post(`/v1/programs/${program.id}/members`, { memberId: other.id })).status).toBe(201);
    const body = { programId: program.id, collector: wallet.address, material: "PET", grams: 500 };
    const mine = await point.api.post(C, body, idempotencyKey());
    expect(mine.status).toBe(202);
    expect((await point.api.get(`${C}/${mine.body.id}`)).status).toBe(200);
    expectError(await other.api.get(`${C}/${mine.body.id}`), 404, "RC_EVENT_NOT_FOUND");
    expectError(await other.api.get(`${C}/999999`), 404, "RC_EVENT_NOT_FOUND");
    expectError(await point.api.get(`${C}/abc`), 400, "RC_VALIDATION");
    expectError(await client(stack.app, scene.keys.brand).get(`${L}/${mine.body.id}`), 404, "RC_EVENT_NOT_FOUND");
    expectError(await client(stack.app).get(`${C}/${mine.body.id}`), 401, "RC_UNAUTHORIZED");
  });

  it("answers an unknown route with 404 RC_ROUTE_NOT_FOUND", async () => {
    expectError(await client(stack.app, scene.keys.point).get("/v1/does-not-exist"), 404, "RC_ROUTE_NOT_FOUND");
    expectError(await client(stack.app).get("/nope"), 404, "RC_ROUTE_NOT_FOUND");
  });
});
