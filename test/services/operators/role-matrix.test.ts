import { type HDNodeWallet, Wallet } from "ethers";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Api } from "../../../services/api/app.js";
import { signIn } from "../../support/collector-session.js";
import { admit, recyclingScene } from "../../support/earn-fixtures.js";
import { startStack, type Stack } from "../../support/stack.js";

/**
 * The role matrix (issue 13): every route of the app times every kind of caller, the expected answer of each kept
 * in ONE table below. The test lists the routes the app registered, so a route without a line fails it: a new
 * route gets its line here (the failure prints the line as observed, to review, never to paste blindly).
 *
 * Each call is harmless: ids that do not exist (999999999), an empty JSON body for a write, no query, so an
 * allowed caller gets its 2xx, 400 or 404 and a refused one its 401 or 403 before anything is read.
 */
const CALLERS = ["anonymous", "admin", "point", "brand", "retailer", "sponsor", "processor", "collector"] as const;
type Caller = (typeof CALLERS)[number];
/** A status per caller, in CALLERS order; `null`: not called as that caller (see the line's comment). */
type Line = readonly (number | null)[];

// prettier-ignore
const TABLE: Record<string, Line> = {
  //                                                  anon admin point brand retail spons proc  coll
  "GET /health":                                     [200, 200,  200,  200,  200,   200,  200,  200],
  "GET /metrics":                                    [200, 200,  200,  200,  200,   200,  200,  200],
  "GET /openapi.json":                               [200, 200,  200,  200,  200,   200,  200,  200],
  "GET /docs":                                       [200, 200,  200,  200,  200,   200,  200,  200],
  "GET /docs/":                                      [200, 200,  200,  200,  200,   200,  200,  200],
  "GET /docs/static/index.html":                     [302, 302,  302,  302,  302,   302,  302,  302],
  "GET /docs/static/swagger-initializer.js":         [200, 200,  200,  200,  200,   200,  200,  200],
  "GET /docs/*":                                     [404, 404,  404,  404,  404,   404,  404,  404],
  "GET /docs/json":                                  [200, 200,  200,  200,  200,   200,  200,  200],
  "GET /docs/yaml":                                  [200, 200,  200,  200,  200,   200,  200,  200],
  // Bull Board's static files (@fastify/static's wildcard): answered without its admin hook, an unknown file a 404.
  "GET /admin/queues/*":                             [404, 404,  404,  404,  404,   404,  404,  404],
  // The API: 401 without a key (a collector's session token is no member key), 403 for the wrong kind of member.
  "POST /v1/members":                              [401, 400, 403, 403, 403, 403, 403, 401],
  "GET /v1/members":                               [401, 200, 403, 403, 403, 403, 403, 401],
  "GET /v1/members/me":                            [401, 200, 200, 200, 200, 200, 200, 401],
  "GET /v1/members/:id":                           [401, 404, 403, 403, 403, 403, 403, 401],
  "POST /v1/members/:id/deactivate":               [401, 404, 403, 403, 403, 403, 403, 401],
  "POST /v1/members/:id/reactivate":               [401, 404, 403, 403, 403, 403, 403, 401],
  "POST /v1/members/:id/rotate-key":               [401, 404, 403, 403, 403, 403, 403, 401],
  "POST /v1/programs":                             [401, 400, 403, 403, 403, 403, 403, 401],
  "GET /v1/programs":                              [401, 200, 200, 200, 200, 200, 200, 401],
  "GET /v1/programs/:id":                          [401, 404, 404, 404, 404, 404, 404, 401],
  "POST /v1/programs/:id/members":                 [401, 400, 403, 403, 403, 403, 403, 401],
  "DELETE /v1/programs/:id/members/:memberId":     [401, 404, 403, 403, 403, 403, 403, 401],
  "PATCH /v1/programs/:id/terms":                  [401, 400, 403, 403, 403, 403, 403, 401],
  "GET /v1/programs/:id/terms/history":            [401, 404, 403, 403, 403, 403, 403, 401],
  "POST /v1/programs/:id/pause":                   [401, 404, 403, 403, 403, 403, 403, 401],
  "POST /v1/programs/:id/unpause":                 [401, 404, 403, 403, 403, 403, 403, 401],
  "POST /v1/payments":                             [400, 400, 400, 400, 400, 400, 400, 400],
  "GET /v1/payments":                              [401, 200, 403, 403, 200, 403, 403, 401],
  "GET /v1/payments/:id":                          [404, 404, 404, 404, 404, 404, 404, 404],
  // A signer's signature is the authority, as a payer's is for a payment: anyone may relay one, or look one up.
  "POST /v1/account-signers":                      [400, 400, 400, 400, 400, 400, 400, 400],
  "GET /v1/account-signers":                       [400, 400, 400, 400, 400, 400, 400, 400],
  "GET /v1/collectors":                            [401, 200, 200, 403, 403, 403, 403, 401],
  "POST /v1/collectors":                           [401, 403, 400, 403, 403, 403, 403, 401],
  "POST /v1/collectors/phone/claim-code":          [401, 403, 400, 403, 403, 403, 403, 401],
  "GET /v1/collectors/:address":                   [401, 200, 403, 403, 403, 403, 403, 403],
  "GET /v1/collectors/:address/credit":            [401, 200, 403, 403, 403, 403, 403, 403],
  "POST /v1/collections":                          [401, 403, 400, 403, 403, 403, 403, 401],
  "GET /v1/collections":                           [401, 403, 400, 403, 403, 403, 403, 401],
  // No programId: the point gets its 400 (the day of a program it names), every other caller its refusal first.
  "GET /v1/collections/day":                       [401, 403, 400, 403, 403, 403, 403, 401],
  "GET /v1/collections/:id":                       [401, 404, 404, 403, 403, 403, 403, 401],
  "POST /v1/claims":                               [400, 400, 400, 400, 400, 400, 400, 400],
  "POST /v1/loyalty-events":                       [401, 403, 403, 400, 403, 403, 403, 401],
  "GET /v1/loyalty-events/:id":                    [401, 404, 403, 404, 403, 403, 403, 401],
  "POST /v1/lots":                                 [401, 403, 403, 403, 403, 403, 400, 401],
  "GET /v1/lots":                                  [401, 200, 403, 403, 403, 403, 200, 401],
  "GET /v1/lots/candidates": [401, 403, 403, 403, 403, 403, 400, 401],
  "GET /v1/lots/:id":                              [401, 404, 403, 403, 403, 403, 404, 401],
  "POST /v1/lots/:id/confirm":                     [401, 403, 403, 403, 403, 403, 404, 401],
  "POST /v1/lots/:id/cancel":                      [401, 404, 403, 403, 403, 403, 404, 401],
  "GET /v1/lots/:id/proof/:collectionId":          [404, 404, 404, 404, 404, 404, 404, 404],
  "GET /v1/events":                                [401, 200, 200, 200, 403, 403, 403, 401],
  "GET /v1/events/failed":                         [401, 200, 403, 403, 403, 403, 403, 401],
  "GET /v1/events/stuck":                          [401, 200, 403, 403, 403, 403, 403, 401],
  "POST /v1/events/:id/reverse":                   [401, 400, 403, 403, 403, 403, 403, 401],
  "POST /v1/events/:id/retry":                     [401, 400, 403, 403, 403, 403, 403, 401],
  "POST /v1/events/:id/reject":                    [401, 400, 403, 403, 403, 403, 403, 401],
  "POST /v1/events/:id/approve":                   [401, 400, 403, 403, 403, 403, 403, 401],
  "POST /v1/events/review":                        [401, 400, 403, 403, 403, 403, 403, 401],
  "GET /v1/reversals":                             [401, 200, 403, 403, 403, 403, 403, 401],
  "POST /v1/auth/collector":                       [400, 400, 400, 400, 400, 400, 400, 400],
  "GET /v1/audit":                                 [401, 200, 403, 403, 403, 403, 403, 401],
  "GET /v1/audit.csv":                             [401, 200, 403, 403, 403, 403, 403, 401],
  "GET /v1/admin/system":                          [401, 200, 403, 403, 403, 403, 403, 401],
  "GET /v1/retailers/me":                          [401, 403, 403, 403, 200, 403, 403, 401],
  "GET /v1/retailers/me/permit":                   [401, 403, 403, 403, 400, 403, 403, 401],
  // Public: a shop's name by its address (no shop at 0x…dEaD).
  "GET /v1/retailers/:address":                    [404, 404, 404, 404, 404, 404, 404, 404],
  "POST /v1/redemptions":                          [401, 403, 403, 403, 400, 403, 403, 401],
  "GET /v1/redemptions":                           [401, 200, 403, 403, 200, 403, 403, 401],
  "GET /v1/redemptions/:id":                       [401, 404, 403, 403, 404, 403, 403, 401],
  "POST /v1/deposits":                             [401, 403, 403, 403, 403, 400, 403, 401],
  "GET /v1/deposits/:id": [401, 404, 403, 403, 403, 404, 403, 401],
  "POST /v1/deposits/:id/withdraw": [401, 404, 403, 403, 403, 404, 403, 401],
  "POST /v1/deposits/:id/withdrawal": [401, 403, 403, 403, 403, 400, 403, 401],
  "POST /v1/deposits/:id/withdrawal/cancel": [401, 403, 403, 403, 403, 400, 403, 401],
  "GET /v1/sponsors/me/fund-flow":                 [401, 400, 403, 403, 403, 200, 403, 401],
  "POST /v1/webhooks":                             [401, 400, 400, 400, 400, 400, 400, 401],
  "GET /v1/webhooks":                              [401, 200, 200, 200, 200, 200, 200, 401],
  "GET /v1/webhooks/deliveries":                   [401, 200, 200, 200, 200, 200, 200, 401],
  "DELETE /v1/webhooks/:id":                       [401, 404, 404, 404, 404, 404, 404, 401],
  "GET /v1/webhooks/:id/deliveries":               [401, 404, 404, 404, 404, 404, 404, 401],
  "GET /v1/network":                               [200, 200, 200, 200, 200, 200, 200, 200],
};

/** The route families another library generates: one rule each, so its upgrades need no new lines. */
const FAMILIES: { pattern: RegExp; line: Line; why: string }[] = [
  {
    // Bull Board's pages and API, behind the admin hook of routes/admin/queues.ts. Not called as the admin here:
    // its writes would pause, empty or obliterate the live queues (test/services/api/... covers the admin's board).
    pattern: /^(GET|PUT|PATCH|POST|DELETE) \/admin\/queues(\/.*)?$/,
    line: [401, null, 403, 403, 403, 403, 403, 401],
    why: "Bull Board, admin only",
  },
  {
    // The built web app (plugins/web.ts: one route per file of WEB_DIST, present only when it is built): public pages.
    pattern: /^GET \/(|(assets|icons)\/[^/]+|[\w.-]+\.(html|js|json|css|svg|png|ico|webmanifest|txt|woff2?))$/,
    line: [200, 200, 200, 200, 200, 200, 200, 200],
    why: "the web app's files",
  },
];

const PARAMS: Record<string, string> = {
  id: "999999999",
  memberId: "999999999",
  collectionId: "1",
  address: "0x000000000000000000000000000000000000dEaD",
  queueName: "none",
  jobId: "1",
  queueStatus: "failed",
  schedulerId: "none",
};

/** "METHOD /path" of every route the app registered (HEAD twins of GET routes left out), from printRoutes' tree. */
export function registeredRoutes(app: Api): string[] {
  const routes: string[] = [];
  const stack: string[] = [];
  for (const line of app.printRoutes({ commonPrefix: false }).split("\n")) {
    const match = /^([│ ]*)[├└]── (.*?)(?: \(([A-Z, ]+)\))?$/.exec(line);
    if (!match) continue;
    const depth = match[1]!.length / 4;
    stack.length = depth;
    const path = (stack.at(-1) ?? "") + match[2]!;
    stack.push(path);
    for (const method of (match[3] ?? "").split(", ").filter(Boolean)) {
      if (method !== "HEAD") routes.push(`${method} ${path}`);
    }
  }
  return routes;
}

let stack: Stack;
let keys: Record<Caller, string | undefined>;
beforeAll(async () => {
  stack = await startStack({ runBatcher: false });
  const scene = await recyclingScene(stack);
  keys = {
    anonymous: undefined,
    admin: stack.adminKey,
    point: scene.point.key,
    brand: (await admit(stack, "brand", "Matrix Brand")).key,
    retailer: (await admit(stack, "retailer", "Matrix Shop", Wallet.createRandom().address)).key,
    sponsor: (await admit(stack, "sponsor", "Matrix Sponsor", Wallet.createRandom().address)).key,
    processor: (await admit(stack, "processor", "Matrix Works")).key,
    collector: await collectorToken(scene.collector),
  };
});
afterAll(() => stack?.close());

async function collectorToken(wallet: HDNodeWallet): Promise<string> {
  const reply = await signIn(stack, wallet);
  expect(reply.status, JSON.stringify(reply.body)).toBe(200);
  return reply.body.token as string;
}

/**
 * Each request from an address of its own: the matrix is about who may call what, and from one address its
 * hundreds of refused keys would meet the rate limit on wrong credentials (tested in rate-limits.test.ts).
 */
let requests = 0;
const nextAddress = () => {
  requests += 1;
  return `10.${(requests >> 16) & 255}.${(requests >> 8) & 255}.${requests & 255}`;
};

async function call(route: string, caller: Caller): Promise<number> {
  const [method, path] = route.split(" ") as [string, string];
  const url = path.replace(/:(\w+)/g, (_, name: string) => PARAMS[name] ?? "1").replace(/\*$/, "x");
  const key = keys[caller];
  const write = ["POST", "PUT", "PATCH"].includes(method);
  const reply = await stack.app.inject({
    method: method as "GET",
    url,
    remoteAddress: nextAddress(),
    headers: { ...(key ? { authorization: `Bearer ${key}` } : {}), ...(write ? { "content-type": "application/json" } : {}) },
    ...(write ? { payload: "{}" } : {}),
  });
  return reply.statusCode;
}

const lineOf = (route: string) => TABLE[route] ?? FAMILIES.find((f) => f.pattern.test(route))?.line;

describe("the role matrix", () => {
  it("has one line for every registered route, and no line for a route that is gone", async () => {
    const routes = registeredRoutes(stack.app);
    expect(routes.length).toBeGreaterThan(40);
    const missing = routes.filter((route) => !lineOf(route));
    const observed = [];
    for (const route of missing) {
      const statuses = [];
      for (const caller of CALLERS) statuses.push(await call(route, caller));
      observed.push(`  ${JSON.stringify(route)}: [${statuses.join(", ")}],`);
    }
    expect(observed, `routes without a line in TABLE (as observed now, review each):\n${observed.join("\n")}`).toEqual([]);
    expect(Object.keys(TABLE).filter((route) => !routes.includes(route)), "lines for routes the app no longer has").toEqual([]);
  });

  it("answers every route as the table says, for every caller, and never with a 5xx", async () => {
    const wrong: string[] = [];
    for (const route of registeredRoutes(stack.app)) {
      const line = lineOf(route);
      if (!line) continue;
      for (const [i, caller] of CALLERS.entries()) {
        if (line[i] === null) continue;
        const status = await call(route, caller);
        if (status !== line[i] || status >= 500) wrong.push(`${route} as ${caller}: ${status}, expected ${line[i]}`);
      }
    }
    expect(wrong).toEqual([]);
  });
});
