import { existsSync, readdirSync, readFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { describe, expect, it } from "vitest";

/**
 * The web bundle holds no server code. At run time web/src may import web/src itself, npm packages, and
 * services/api/client (the typed client: types only from the schemas); anything else of the server only
 * with `import type`, which the build erases. The pure modules the pages already share with the server
 * (EIP-712 types, the voucher, amounts, the fund-flow check) are listed by name: a new one is a decision,
 * and nothing they pull in may reach a server package.
 */
const ROOT = resolve(import.meta.dirname, "../..");
const WEB = join(ROOT, "web/src");
const CLIENT = join(ROOT, "services/api/client");
const SHARED_PURE = [
  // A passkey account's further signers: their bytes, the AddSigner digest and an added signer's tagged signature.
  "services/core/account-signers.ts",
  "services/core/amounts.ts",
  "services/core/collector-login.ts",
  // A passkey wallet's address and its first signature's ERC-6492 wrapper, computed on the phone as the factory does.
  "services/core/counterfactual-account.ts",
  // The materials a recycling program may pay for: the console's rate fields list them (no imports of its own).
  "services/core/materials.ts",
  "services/core/payment-nonces.ts",
  // Phone numbers read as the API reads them (libphonenumber-js), so the point refuses an impossible one offline.
  "services/core/phone-number.ts",
  "services/core/voucher.ts",
  // A passkey voucher's assertion, its challenge left out on the phone and put back by the API.
  "services/core/voucher-assertion.ts",
  // The WebAuthn assertion encoded as the passkey account reads it, the same bytes as the tests' software passkey.
  "services/core/webauthn-auth.ts",
  "services/chain/eip2612.ts",
  "services/chain/eip3009.ts",
  "services/chain/fund-flow-verify.ts",
];
const SERVER_PACKAGES = /^(node:|fastify$|@fastify\/|fastify-plugin$|postgres$|ioredis$|bullmq$|pino|prom-client$|hardhat|@bull-board\/)/;

const sourcesUnder = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourcesUnder(path);
    return /\.tsx?$/.test(entry.name) && !entry.name.endsWith(".d.ts") ? [path] : [];
  });

/** The specifiers a file imports at run time: not `import type` / `export type`, but side-effect and dynamic imports. */
export function runtimeImports(source: string): string[] {
  const found: string[] = [];
  for (const m of source.matchAll(/^\s*(?:import|export)\s+(type\s+)?[^;]*?\sfrom\s+["']([^"']+)["']/gm)) if (!m[1]) found.push(m[2]!);
  for (const m of source.matchAll(/^\s*import\s+["']([^"']+)["']/gm)) found.push(m[1]!);
  for (const m of source.matchAll(/\bimport\(\s*["']([^"']+)["']\s*\)/g)) found.push(m[1]!);
  return found;
}

/** A relative specifier → the file it names (.js written for .ts/.tsx), or undefined for a package. */
function resolveFile(from: string, specifier: string): string | undefined {
  if (!specifier.startsWith(".")) return undefined;
  const base = resolve(dirname(from), specifier);
  const candidates = [base, base.replace(/\.js$/, ".ts"), base.replace(/\.js$/, ".tsx"), `${base}.ts`, `${base}.tsx`, join(base, "index.ts")];
  return candidates.find((path) => /\.(tsx?|json|css)$/.test(path) && existsSync(path)) ?? base;
}

const inside = (path: string, dir: string) => !relative(dir, path).startsWith("..");

describe("web bundle boundary", () => {
  it("finds runtime imports and skips type-only ones", () => {
    const source = 'import type { A } from "./a.js";\nexport type * from "./b.js";\nimport { c, type D } from "./c.js";\nimport "./d.css";\nconst e = () => import("./e.js");';
    expect(runtimeImports(source)).toEqual(["./c.js", "./d.css", "./e.js"]);
  });

  it("imports, at run time, only web/src, packages, the API client and the listed shared pure modules", () => {
    const outside: string[] = [];
    for (const file of sourcesUnder(WEB)) {
      for (const specifier of runtimeImports(readFileSync(file, "utf8"))) {
        const target = resolveFile(file, specifier);
        if (target === undefined) {
          if (SERVER_PACKAGES.test(specifier)) outside.push(`${relative(ROOT, file)} → ${specifier}`);
        } else if (!inside(target, WEB) && !inside(target, CLIENT) && !SHARED_PURE.includes(relative(ROOT, target))) {
          outside.push(`${relative(ROOT, file)} → ${relative(ROOT, target)}`);
        }
      }
    }
    expect(outside).toEqual([]);
  });

  it("keeps the API client free of run-time imports outside its folder", () => {
    const leaks = sourcesUnder(CLIENT).flatMap((file) =>
      runtimeImports(readFileSync(file, "utf8"))
        .filter((specifier) => {
          const target = resolveFile(file, specifier);
          return target === undefined || !inside(target, CLIENT);
        })
        .map((specifier) => `${relative(ROOT, file)} → ${specifier}`),
    );
    expect(leaks).toEqual([]);
  });

  it("reaches no server package through the shared modules", () => {
    const seen = new Set<string>();
    const reached: string[] = [];
    const visit = (file: string) => {
      if (seen.has(file) || !/\.tsx?$/.test(file)) return;
      seen.add(file);
      for (const specifier of runtimeImports(readFileSync(file, "utf8"))) {
        const target = resolveFile(file, specifier);
        if (target === undefined) {
          if (SERVER_PACKAGES.test(specifier)) reached.push(`${relative(ROOT, file)} → ${specifier}`);
        } else visit(target);
      }
    };
    for (const path of [...SHARED_PURE.map((p) => join(ROOT, p)), ...sourcesUnder(CLIENT)]) visit(path);
    expect(reached).toEqual([]);
  });
});
