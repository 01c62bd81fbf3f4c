import { readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { describe, expect, it } from "vitest";

/**
 * The floors of services/ (STYLE.md, Layout): an import only ever points down a floor or stays on its own.
 * Read from the source itself, so a new file is checked the day it is written.
 */
const ROOT = resolve(import.meta.dirname, "../..");
const FLOORS: [prefix: string, floor: number][] = [
  ["services/core/", 0],
  ["services/config.ts", 0],
  ["services/logger.ts", 0],
  ["services/db/", 1],
  ["services/chain/", 2],
  // The queues and their typed jobs are an adapter, like db and chain: flows enqueue. The workers are above.
  ["services/queue/queues.ts", 2],
  ["services/engines/", 3],
  ["services/flows/", 4],
  ["services/api/", 5],
  ["services/queue/", 5],
];

function floorOf(path: string): number | undefined {
  return FLOORS.find(([prefix]) => path === prefix || path.startsWith(prefix))?.[1];
}

function sourceFiles(dir: string): string[] {
  return readdirSync(join(ROOT, dir)).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(join(ROOT, path)).isDirectory()) return sourceFiles(path);
    return /\.tsx?$/.test(name) && !name.endsWith(".d.ts") ? [path] : [];
  });
}

/** Every relative import of `file` (static, dynamic, type-only and re-exports), as repository paths. */
export function importsOf(file: string, text = readFileSync(join(ROOT, file), "utf8")): string[] {
  const specifiers = [...text.matchAll(/(?:\bfrom\s*|\bimport\s*\(?\s*)["'](\.[^"']+)["']/g)].map((m) => m[1]!);
  return specifiers.map((specifier) => relative(ROOT, resolve(ROOT, dirname(file), specifier)).replace(/\.js$/, ".ts"));
}

/** Each import that points up a floor, or sideways where the layout forbids it, as "from → to". */
function violations(): string[] {
  const found: string[] = [];
  for (const file of sourceFiles("services")) {
    const from = floorOf(file);
    for (const target of importsOf(file)) {
      const to = floorOf(target);
      if (from !== undefined && to !== undefined && to > from) found.push(`${file} → ${target}`);
      if (file.startsWith("services/queue/") && target.startsWith("services/api/")) found.push(`${file} → ${target}`);
      const route = (path: string) => /^services\/api\/routes\/([^/]+)\//.exec(path)?.[1];
      if (route(file) && route(target) && route(file) !== route(target)) found.push(`${file} → ${target}`);
    }
  }
  return found;
}

describe("the layers of services/", () => {
  it("has no import that points up a floor, from queue into api, or from one route folder into another", () => {
    expect(violations()).toEqual([]);
  });

  it("reads every kind of relative import, so the check above can fail", () => {
    const text = [
      'import { a } from "../db/sql.js";',
      'import type { B } from "../engines/nap.js";',
      'export { c } from "./c.js";',
      'const d = await import("../flows/operator.js");',
    ].join("\n");
    expect(importsOf("services/chain/x.ts", text)).toEqual([
      "services/db/sql.ts",
      "services/engines/nap.ts",
      "services/chain/c.ts",
      "services/flows/operator.ts",
    ]);
    expect(floorOf("services/flows/operator.ts")).toBeGreaterThan(floorOf("services/chain/x.ts")!);
  });
});
