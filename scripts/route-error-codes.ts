/**
 * Writes services/api/openapi/route-error-codes.ts: for each route, the error codes its handler can answer with,
 * found by reading the source. A route's codes are the `"RC_…"` literals in its own registration, in the helpers of
 * its file, and in every module those reach through their (non-type) imports; plugins' codes (auth, sessions,
 * phones) come from the decorators the route uses. Run it after adding a code or a route:
 * `npx tsx scripts/route-error-codes.ts` (the OpenAPI test fails while the committed map is stale).
 */
import { readFileSync, readdirSync, writeFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { ERROR_CODES } from "../services/api/openapi/error-codes.js";

const ROOT = resolve(import.meta.dirname, "..");
const ROUTES = join(ROOT, "services/api/routes");
export const MAP_FILE = join(ROOT, "services/api/openapi/route-error-codes.ts");

/** Codes every route can give, documented once on the Error schema rather than on each route. */
const EVERYWHERE = new Set(["RC_VALIDATION", "RC_BAD_CHECKSUM", "RC_INVALID_JSON", "RC_BAD_REQUEST", "RC_BAD_URL", "RC_INVALID_CONTENT_LENGTH",
  "RC_ROUTE_NOT_FOUND", "RC_REQUEST_TIMEOUT", "RC_BODY_TOO_LARGE", "RC_PATH_TOO_LONG", "RC_UNSUPPORTED_MEDIA_TYPE", "RC_HEADERS_TOO_LARGE", "RC_INTERNAL"]);

/** What a decorator a route calls can refuse with. */
const DECORATOR_CODES: [RegExp, string[]][] = [
  [/requireMember|requireCollectorOrMember|requireAdmin/, ["RC_UNAUTHORIZED", "RC_WRONG_ROLE", "RC_MEMBER_INACTIVE"]],
  [/requireCollector/, ["RC_UNAUTHORIZED", "RC_SESSION_EXPIRED", "RC_SESSION_INVALID", "RC_SESSIONS_UNAVAILABLE"]],
  [/issueSession/, ["RC_SESSIONS_UNAVAILABLE"]],
  [/phoneSalt|eventDeps/, ["RC_PHONES_UNAVAILABLE"]],
  [/limitClaimsPerPhone/, ["RC_RATE_LIMITED"]],
];

// A path in a template (`/members/:id/${verb}`) is kept with `*` where the template varies.
const REGISTRATION = /\bapp\.(get|post|put|patch|delete)\(\s*["`]([^"`]+)["`]/g;
const answered = (code: string) => typeof ERROR_CODES[code as `RC_${string}`]?.[0] === "number" && !EVERYWHERE.has(code);
const literals = (text: string) => [...text.matchAll(/"(RC_[A-Z0-9_]+)"/g)].map((m) => m[1]!);

/** A module's value imports: local name → resolved .ts file (type-only imports run nothing). */
function imports(file: string, text: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const m of text.matchAll(/^import\s+(?!type\b)([^;]*?)\s+from\s+"(\.[^"]+)\.js";/gms)) {
    const target = resolve(dirname(file), `${m[2]}.ts`);
    for (const name of m[1]!.replace(/[{}]/g, ",").split(",")) {
      const local = name.replace(/^\s*type\s+/, "").split(/\s+as\s+/).pop()!.replace(/^\*\s*/, "").trim();
      if (local && !/^type\s/.test(name.trim())) out.set(local, target);
    }
  }
  return out;
}

/**
 * Imports read for codes: not another route's file (each is read on its own), nothing outside services/, and not
 * core/errors.ts, whose RC_UNAUTHORIZED is the auth decorators' to give.
 */
const followed = (file: string) => !file.startsWith(ROUTES) && file.startsWith(join(ROOT, "services")) && file !== join(ROOT, "services/core/errors.ts");

const reached = new Map<string, Set<string>>();
/** Every answered code in `file` and what it imports, routes folders excluded (each route is read on its own). */
function moduleCodes(file: string): Set<string> {
  const known = reached.get(file);
  if (known) return known;
  const codes = new Set<string>();
  reached.set(file, codes);
  const text = readFileSync(file, "utf8");
  for (const code of literals(text)) if (answered(code)) codes.add(code);
  for (const target of new Set(imports(file, text).values())) {
    if (!followed(target)) continue;
    for (const code of moduleCodes(target)) codes.add(code);
  }
  return codes;
}

function routeFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? routeFiles(join(dir, e.name)) : e.name.endsWith(".ts") ? [join(dir, e.name)] : []));
}

/** `METHOD /path` as registered (without its plugin's prefix) → the codes it can answer with, sorted. */
export function scanRouteErrorCodes(): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const file of routeFiles(ROUTES).sort()) {
    const text = readFileSync(file, "utf8");
    const names = imports(file, text);
    const starts = [...text.matchAll(REGISTRATION)];
    // What is outside every registration (the file's helpers) counts for each of its routes.
    const shared = starts.length > 0 ? text.slice(0, starts[0]!.index) : text;
    for (const [i, start] of starts.entries()) {
      const segment = text.slice(start.index, starts[i + 1]?.index ?? text.length);
      const codes = new Set<string>([...literals(segment), ...literals(shared)].filter(answered));
      for (const [name, target] of names) {
        if (!followed(target) || !new RegExp(`\\b${name}\\b`).test(segment + shared.replace(/^import[^;]*;/gms, ""))) continue;
        for (const code of moduleCodes(target)) codes.add(code);
      }
      for (const [pattern, decoratorCodes] of DECORATOR_CODES) if (pattern.test(segment + shared)) decoratorCodes.forEach((c) => codes.add(c));
      const key = `${start[1]!.toUpperCase()} ${start[2]!.replace(/\$\{[^}]*\}/g, "*")}`;
      out[key] = [...new Set([...(out[key] ?? []), ...codes])].sort();
    }
  }
  return out;
}

export function renderMap(map: Record<string, string[]>): string {
  const lines = Object.entries(map).map(([route, codes]) => `  ${JSON.stringify(route)}: [${codes.map((c) => JSON.stringify(c)).join(", ")}],`);
  return (
    `// Generated by scripts/route-error-codes.ts from the source (${relative(ROOT, ROUTES)}): do not edit by hand.\n` +
    `/** Each route (as registered, without its prefix) → the error codes it can answer with, besides those of every route. */\n` +
    `export const ROUTE_ERROR_CODES: Record<string, readonly string[]> = {\n${lines.join("\n")}\n};\n`
  );
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  writeFileSync(MAP_FILE, renderMap(scanRouteErrorCodes()));
  console.log(`wrote ${relative(ROOT, MAP_FILE)}`);
}
