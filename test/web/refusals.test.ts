import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ROUTE_ERROR_CODES } from "../../services/api/openapi/route-error-codes.js";
import enCommon from "../../web/src/messages/en/common.json" with { type: "json" };
import idCommon from "../../web/src/messages/id/common.json" with { type: "json" };
import { REFUSAL_WORDS, REFUSED_OTHER } from "../../web/src/ui/refusal-words.js";

const ROOT = new URL("../../", import.meta.url).pathname;
/** The faces of people the app serves; the operator's and the processor's consoles are not read here. */
const FACES = ["point", "collector", "retailer", "sponsor", "wallet", "ui"];
const LANGUAGES = { en: enCommon, id: idCommon } as Record<string, Record<string, string>>;

/** The client's method → its route as ROUTE_ERROR_CODES names it, path parameters as `*`. */
function clientRoutes(): Map<string, string> {
  const client = readFileSync(join(ROOT, "services/api/client/index.ts"), "utf8");
  const routes = new Map<string, string>();
  const method = /^\s{4}(\w+): \([^\n]*?\)\s*=>\s*(?:\n\s*)?(get|post|call)<[^>]*>\((?:"(\w+)",\s*)?(?:withQuery\()?[`"]\/v1([^`"?]+)[`"]/gm;
  for (const m of client.matchAll(method)) {
    const verb = m[2] === "get" ? "GET" : m[2] === "post" ? "POST" : m[3]!;
    routes.set(m[1]!, `${verb} ${m[4]!.replace(/\$\{[^}]+\}/g, "*")}`);
  }
  return routes;
}

const sources = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((entry) => (entry.isDirectory() ? sources(join(dir, entry.name)) : [join(dir, entry.name)]));

/** Every code the routes these faces call can refuse with: the API's source says, through ROUTE_ERROR_CODES. */
function codesTheFacesMeet(): { calls: string[]; codes: Set<string> } {
  const routes = clientRoutes();
  const byRoute = new Map(Object.entries(ROUTE_ERROR_CODES).map(([route, codes]) => [route.replace(/:\w+/g, "*"), codes]));
  const calls = new Set<string>();
  const codes = new Set<string>(["RC_VALIDATION", "RC_RATE_LIMITED", "RC_BAD_CHECKSUM"]);
  const files = [...FACES.flatMap((face) => sources(join(ROOT, "web/src", face))), join(ROOT, "web/src/network.ts")];
  for (const file of files) {
    for (const m of readFileSync(file, "utf8").matchAll(/\bapi(?:\.as\([^)]*\))?\.(\w+)\(/g)) {
      const route = routes.get(m[1]!);
      expect(route, `${file}: api.${m[1]}`).toBeDefined();
      expect(byRoute.has(route!), route).toBe(true);
      calls.add(route!);
      for (const code of byRoute.get(route!)!) codes.add(code);
    }
  }
  return { calls: [...calls], codes };
}

describe("the API's refusals in people's words", () => {
  it("gives every code the collector's, point's, shop's and sponsor's screens can meet words in both languages", () => {
    const { calls, codes } = codesTheFacesMeet();
    // The reading found the calls it should: a drop-off, a payment, a redemption, the fund flow.
    expect(calls).toEqual(expect.arrayContaining(["POST /collections", "POST /payments", "POST /redemptions", "GET /sponsors/me/fund-flow"]));
    const words: Record<string, string> = REFUSAL_WORDS;
    expect([...codes].filter((code) => !words[code]).sort()).toEqual([]);
    for (const [language, messages] of Object.entries(LANGUAGES)) {
      for (const key of [...Object.values(REFUSAL_WORDS), REFUSED_OTHER]) expect(messages[key]?.trim(), `${language} ${key}`).toBeTruthy();
    }
  });

  it("says them in Indonesian in Bahasa, never the code itself", () => {
    for (const key of new Set([...Object.values(REFUSAL_WORDS), REFUSED_OTHER])) {
      expect(idCommon[key as keyof typeof idCommon], key).not.toBe(enCommon[key as keyof typeof enCommon]);
      for (const messages of Object.values(LANGUAGES)) expect(messages[key], key).not.toMatch(/RC_|\{/);
    }
  });
});
