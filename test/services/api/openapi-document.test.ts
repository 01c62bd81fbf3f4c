import { readdirSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { Ajv } from "ajv";
import addFormats from "ajv-formats";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { renderMap, scanRouteErrorCodes, MAP_FILE } from "../../../scripts/route-error-codes.js";
import { serverUrl } from "../../../services/api/openapi/document.js";
import { extendAjv } from "../../../services/api/validation.js";
import { startStack, type Stack } from "../../support/stack.js";

type Json = Record<string, any>;

let stack: Stack;
let doc: Json;

beforeAll(async () => {
  stack = await startStack({ runBatcher: false });
  const answer = await stack.app.inject({ method: "GET", url: "/openapi.json" });
  expect(answer.statusCode).toBe(200);
  doc = answer.json();
});

afterAll(async () => {
  await stack?.close();
});

const operations = () =>
  Object.entries<Json>(doc.paths).flatMap(([path, item]) => Object.entries<Json>(item).map(([method, op]) => ({ route: `${method.toUpperCase()} ${path}`, op })));

/** The JSON bodies of an operation: its request body and each 2xx answer that has content. */
function bodies(op: Json): { what: string; media: Json }[] {
  const out: { what: string; media: Json }[] = [];
  const request = op.requestBody?.content?.["application/json"];
  if (request) out.push({ what: "body", media: request });
  for (const [status, answer] of Object.entries<Json>(op.responses)) {
    const media = answer.content?.["application/json"];
    if (status.startsWith("2") && media && media.schema?.type !== "null") out.push({ what: status, media });
  }
  return out;
}

const examplesOf = (media: Json): unknown[] => [
  ...(media.example !== undefined ? [media.example] : []),
  ...Object.values<Json>(media.examples ?? {}).map((e) => e.value),
];

/** The API's own validator settings (services/api/app.ts), reading the document's schemas as they are published. */
function validator() {
  const ajv = new Ajv({ strict: false, allErrors: true, coerceTypes: false, removeAdditional: false });
  addFormats.default(ajv);
  extendAjv(ajv);
  return (schema: Json) => ajv.compile({ ...schema, components: doc.components });
}

/** Every `RC_` code written in services/ (the catalogue and the generated map excepted: they are the documentation). */
function codesInSource(): Set<string> {
  const root = resolve(import.meta.dirname, "../../../services");
  const files = (dir: string): string[] =>
    readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? files(join(dir, e.name)) : /\.tsx?$/.test(e.name) ? [join(dir, e.name)] : []));
  const codes = new Set<string>();
  for (const file of files(root)) {
    if (file.includes("/api/openapi/")) continue;
    for (const m of readFileSync(file, "utf8").matchAll(/RC_[A-Z0-9_]*[A-Z0-9]/g)) codes.add(m[0]);
  }
  return codes;
}

describe("the OpenAPI document", () => {
  it("has a hand-written example for every request body and 2xx answer, each valid against its schema", () => {
    const compile = validator();
    const missing: string[] = [];
    const invalid: string[] = [];
    for (const { route, op } of operations()) {
      for (const { what, media } of bodies(op)) {
        const examples = examplesOf(media);
        if (examples.length === 0) missing.push(`${route} ${what}`);
        const validate = compile(media.schema);
        for (const example of examples) {
          if (!validate(example)) invalid.push(`${route} ${what}: ${JSON.stringify(validate.errors)}`);
        }
      }
    }
    expect(missing).toEqual([]);
    expect(invalid).toEqual([]);
  });

  it("shows drop-offs naming a collector or a phone, never both (the API refuses both)", () => {
    const examples = examplesOf(doc.paths["/v1/collections"].post.requestBody.content["application/json"]) as Json[];
    expect(examples.length).toBeGreaterThan(0);
    for (const example of examples) expect(("collector" in example) !== ("phone" in example)).toBe(true);
  });

  it("documents every RC_ code written in the source, with its meaning", () => {
    const documented = doc["x-error-codes"] as Record<string, { kind: unknown; meaning: string }>;
    const source = codesInSource();
    expect(source.size).toBeGreaterThan(100);
    expect([...source].filter((code) => !documented[code]?.meaning)).toEqual([]);
    // The answered ones are in the Error schema's table, the others in FailureCode's.
    const table = `${doc.components.schemas.Error.properties.error.properties.code.description}\n${doc.components.schemas.FailureCode.description}`;
    expect([...source].filter((code) => !table.includes(`\`${code}\``))).toEqual([]);
  });

  it("lists each route's own error codes under the answers that carry them", () => {
    const undescribed: string[] = [];
    for (const { route, op } of operations()) {
      const descriptions = Object.values<Json>(op.responses).map((r) => r.description).join("\n");
      for (const code of op["x-error-codes"] ?? []) if (!descriptions.includes(`\`${code}\`:`)) undescribed.push(`${route} ${code}`);
    }
    expect(undescribed).toEqual([]);
    const empty = operations().flatMap(({ route, op }) => Object.entries<Json>(op.responses).filter(([, r]) => !r.description).map(([s]) => `${route} ${s}`));
    expect(empty).toEqual([]);
    const drop = doc.paths["/v1/collections"].post;
    expect(drop.responses["403"].description).toContain("`RC_NOT_PROGRAM_ISSUER`: ");
    expect(drop.responses["400"].description).toContain("`RC_MATERIAL_NOT_ACCEPTED`: ");
    expect(drop.responses["409"].description).toContain("`RC_IDEMPOTENCY_KEY_REUSED`: ");
    expect(doc.paths["/v1/webhooks/{id}"].delete.responses["404"].description).toContain("`RC_WEBHOOK_NOT_FOUND`: ");
    expect(doc.paths["/v1/members/{id}/deactivate"].post.responses["409"].description).toContain("`RC_SELF_DEACTIVATION`: ");
    expect(drop.responses["403"].content["application/json"].schema).toEqual({ $ref: "#/components/schemas/Error" });
  });

  it("keeps the map of routes to codes as the source makes it (npx tsx scripts/route-error-codes.ts)", () => {
    expect(readFileSync(MAP_FILE, "utf8")).toBe(renderMap(scanRouteErrorCodes()));
  });

  it("names its component schemas, the error schema Error, and gives no 2xx a default description", () => {
    expect(JSON.stringify(doc)).not.toMatch(/def-\d+/);
    expect(Object.keys(doc.components.schemas)).toEqual(expect.arrayContaining(["Error", "FailureCode", "CreditEvent", "Program", "Payment", "Member"]));
    // A shared schema is referred to by name wherever a route answers with it.
    expect(doc.paths["/v1/programs/{id}"].get.responses["200"].content["application/json"].schema).toEqual({ $ref: "#/components/schemas/Program" });
    expect(doc.paths["/v1/events"].get.responses["200"].content["application/json"].schema.properties.items.items).toEqual({ $ref: "#/components/schemas/CreditEvent" });
    const defaults = operations().flatMap(({ route, op }) =>
      Object.entries<Json>(op.responses)
        .filter(([status, r]) => status.startsWith("2") && (!r.description || r.description === "Default Response"))
        .map(([status]) => `${route} ${status}`),
    );
    expect(defaults).toEqual([]);
  });

  it("renders a union of string literals as an enum, not an anyOf of constants", () => {
    const unions: string[] = [];
    const walk = (node: unknown, at: string) => {
      if (Array.isArray(node)) return node.forEach((n, i) => walk(n, `${at}/${i}`));
      if (!node || typeof node !== "object") return;
      const branches = (node as Json).anyOf ?? (node as Json).oneOf;
      if (Array.isArray(branches) && branches.length > 0 && branches.every((b: Json) => b.const !== undefined)) unions.push(at);
      for (const [key, value] of Object.entries(node)) walk(value, `${at}/${key}`);
    };
    walk(doc, "#");
    expect(unions).toEqual([]);
    const material = doc.paths["/v1/collections"].post.requestBody.content["application/json"].schema.properties.material;
    expect(material).toMatchObject({ type: "string", enum: expect.arrayContaining(["PET", "ALUMINIUM"]) });
  });

  it("names the server to call", () => {
    expect(doc.servers).toEqual([expect.objectContaining({ url: serverUrl(stack.config) })]);
    expect(doc.servers[0].url).toMatch(/^https?:\/\/[^/]+:\d+$/);
  });
});
