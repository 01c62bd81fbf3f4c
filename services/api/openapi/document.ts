/**
 * The OpenAPI document as an integrator reads it: @fastify/swagger builds it from the route schemas, and this
 * finishes it with what a schema cannot say: the server to call, each route's error codes with their meaning, the
 * shared Error schema under its name, and every code of the catalogue (error-codes.ts) listed once.
 */
import type { FastifyDynamicSwaggerOptions } from "@fastify/swagger";
import type { Config } from "../../config.js";
import { ErrorResponse } from "../schemas/common.js";
import { CreditEvent } from "../schemas/events.js";
import { Member } from "../schemas/members.js";
import { Payment } from "../schemas/payments.js";
import { Program } from "../schemas/programs.js";
import { ERROR_CODES } from "./error-codes.js";
import { ROUTE_ERROR_CODES } from "./route-error-codes.js";

type Json = Record<string, any>;

/**
 * Schemas answers share, registered under their $id: the document names them (components.schemas.Program) and
 * refers to them, instead of repeating them in every route.
 */
export const SHARED_SCHEMAS = [ErrorResponse, CreditEvent, Program, Payment, Member];

/** The error schema's name in `components.schemas`. */
export const ERROR_SCHEMA = "Error";

/** Codes any route can answer with, by status, listed on each route's answers that carry them. */
const EVERY_ROUTE: Record<number, `RC_${string}`[]> = {
  400: ["RC_VALIDATION", "RC_BAD_CHECKSUM"],
  401: ["RC_UNAUTHORIZED"],
  429: ["RC_RATE_LIMITED"],
  413: ["RC_BODY_TOO_LARGE"],
  415: ["RC_UNSUPPORTED_MEDIA_TYPE"],
};
const WITH_BODY: `RC_${string}`[] = ["RC_INVALID_JSON", "RC_BODY_TOO_LARGE", "RC_UNSUPPORTED_MEDIA_TYPE"];

const SUCCESS: Record<string, string> = {
  "200": "OK",
  "201": "Created",
  "202": "Accepted: recorded now, carried out in the background (follow its status)",
  "204": "Done; nothing to return",
};

/** Where the document says the API is: the listen address (there is no public base URL setting). */
export function serverUrl(config: Config): string {
  const host = config.host === "0.0.0.0" || config.host === "::" ? "localhost" : config.host;
  return `http://${host.includes(":") ? `[${host}]` : host}:${config.port}`;
}

/** The options of @fastify/swagger: named component schemas, the server, and the document finished by `finish`. */
export function swaggerOptions(config: Config): FastifyDynamicSwaggerOptions {
  return {
    openapi: {
      info: {
        title: "recircle API",
        version: "0.1.0",
        description:
          "Collection and loyalty events in, tokens out. Amounts are decimal strings in token units. " +
          `Every error answer is an \`${ERROR_SCHEMA}\` with a stable \`code\`; each route lists its own codes under its answers.`,
      },
      servers: [{ url: serverUrl(config), description: "This deployment's API (its listen address)" }],
      components: { securitySchemes: { apiKey: { type: "http", scheme: "bearer" } } },
    },
    // A schema registered with an $id keeps it as its name (Error), instead of def-0, def-1...
    refResolver: { buildLocalReference: (json, _baseUri, _fragment, i) => (typeof json.$id === "string" ? json.$id : `def-${i}`) },
    transformObject: (built) => ("openapiObject" in built ? finish(built.openapiObject as Json) : built.swaggerObject),
  };
}

const describeCode = (code: string) => `\`${code}\`: ${ERROR_CODES[code as `RC_${string}`]?.[1] ?? "undocumented"}`;

/** The route's own codes, from the map made by scripts/route-error-codes.ts; `/v1/x/{id}` is found as `/x/:id`. */
function routeCodes(method: string, path: string): readonly string[] {
  const registered = path.replace(/^\/v1(?=\/)/, "").replace(/\{([^}]+)\}/g, ":$1");
  const exact = ROUTE_ERROR_CODES[`${method.toUpperCase()} ${registered}`];
  if (exact) return exact;
  const templated = Object.entries(ROUTE_ERROR_CODES).find(([key]) => {
    const [m, p] = key.split(" ");
    return m === method.toUpperCase() && new RegExp(`^${p!.replace(/[.]/g, "\\.").replace(/\*/g, "[^/]+")}$`).test(registered);
  });
  return templated?.[1] ?? [];
}

function finishOperation(method: string, path: string, operation: Json): void {
  const codes = new Set<string>(routeCodes(method, path));
  if (operation.requestBody) WITH_BODY.forEach((c) => codes.add(c));
  const byStatus = new Map<string, string[]>();
  for (const code of codes) {
    const status = ERROR_CODES[code as `RC_${string}`]?.[0];
    if (typeof status === "number") byStatus.set(String(status), [...(byStatus.get(String(status)) ?? []), code]);
  }
  for (const [status, answer] of Object.entries<Json>(operation.responses ?? {})) {
    Object.values<Json>(answer.content ?? {}).forEach(examplesBesideSchema);
    if (status.startsWith("2") && (answer.description === "Default Response" || !answer.description)) {
      answer.description = `${SUCCESS[status] ?? "Success"}: ${operation.summary ?? ""}`.replace(/: $/, "");
    }
    if (/^[45]/.test(status)) byStatus.set(status, [...new Set([...(EVERY_ROUTE[Number(status)] ?? []), ...(byStatus.get(status) ?? [])])]);
  }
  for (const [status, list] of byStatus) {
    // An error status answered in another shape (GET /health's 503 is a Health) keeps it.
    const declared = operation.responses[status]?.content?.["application/json"]?.schema;
    const isError = declared?.$ref === `#/components/schemas/${ERROR_SCHEMA}` || declared?.properties?.error?.properties?.code !== undefined;
    if (declared && !isError) {
      if (operation.responses[status].description === "Default Response") operation.responses[status].description = `${status}: ${operation.summary ?? ""}`;
      continue;
    }
    operation.responses[status] = {
      description:
        list.length > 0
          ? list.sort().map((code) => `- ${describeCode(code)}`).join("\n")
          : `Declared by the route, though no code of its own is known to answer with ${status} (see Error for every code)`,
      content: { "application/json": { schema: { $ref: `#/components/schemas/${ERROR_SCHEMA}` } } },
    };
  }
  operation["x-error-codes"] = Object.values<Json>(operation.responses)
    .flatMap((r) => [...String(r.description).matchAll(/^- `(RC_[A-Z0-9_]+)`/gm)].map((m) => m[1]))
    .sort();
}

/**
 * An answer declared per content type keeps its schema's `examples` inside the schema, where OpenAPI 3.0 has no such
 * keyword and Swagger UI shows none: they move beside it, as @fastify/swagger places the others.
 */
function examplesBesideSchema(media: Json): void {
  const examples = media.schema?.examples;
  if (!Array.isArray(examples) || media.examples) return;
  media.examples = Object.fromEntries(examples.map((value, i) => [`example${i + 1}`, { value }]));
  delete media.schema.examples;
}

/** Every code of the catalogue as a markdown table, by kind. */
function codeTable(kinds: (kind: string | number) => boolean): string {
  const rows = Object.entries(ERROR_CODES).filter(([, [kind]]) => kinds(kind));
  return ["| code | status | meaning |", "|---|---|---|", ...rows.map(([code, [kind, meaning]]) => `| \`${code}\` | ${kind} | ${meaning} |`)].join("\n");
}

/** A schema as it validates: without the annotations an inline copy may add or lose. */
const canonical = (node: unknown): string =>
  JSON.stringify(node, (key, value) => (key === "$id" || key === "example" || key === "examples" ? undefined : value));

/**
 * @fastify/swagger writes a shared schema out wherever a route uses it; each copy becomes a $ref to the named
 * component (SHARED_SCHEMAS), so an integrator's generator makes one Program type, not forty.
 */
function referShared(document: Json): void {
  const schemas = document.components.schemas as Json;
  const named = new Map<string, string>();
  for (const { $id } of SHARED_SCHEMAS as { $id?: string }[]) {
    const component = schemas[$id as string];
    if (!component || $id === ERROR_SCHEMA) continue;
    if (Array.isArray(component.examples)) component.example = component.examples[0];
    delete component.examples;
    named.set(canonical(component), $id as string);
  }
  const walk = (node: unknown): unknown => {
    if (Array.isArray(node)) return node.map(walk);
    if (!node || typeof node !== "object") return node;
    const name = named.get(canonical(node));
    if (name) return { $ref: `#/components/schemas/${name}` };
    for (const [key, value] of Object.entries(node)) if (key !== "example" && key !== "examples") (node as Json)[key] = walk(value);
    return node;
  };
  walk(document.paths);
}

/**
 * TypeBox's enum has no `type` (validation needs none: the values say it); the document gives string enums theirs,
 * so generators and Swagger UI read them as strings.
 */
function typeStringEnums(node: unknown): void {
  if (Array.isArray(node)) return node.forEach(typeStringEnums);
  if (!node || typeof node !== "object") return;
  const schema = node as Json;
  if (Array.isArray(schema.enum) && schema.type === undefined && schema.enum.every((v: unknown) => typeof v === "string")) schema.type = "string";
  for (const [key, value] of Object.entries(schema)) if (key !== "example" && key !== "examples") typeStringEnums(value);
}

/** The document @fastify/swagger built, finished in place. */
export function finish(document: Json): Json {
  for (const [path, item] of Object.entries<Json>(document.paths ?? {})) {
    for (const [method, operation] of Object.entries<Json>(item)) finishOperation(method, path, operation);
  }
  const schemas = (document.components.schemas ??= {});
  const error = schemas[ERROR_SCHEMA];
  if (error) {
    error.properties.error.properties.code.description =
      "What went wrong, stable for clients to switch on. Every code an answer can carry:\n\n" + codeTable((kind) => typeof kind === "number");
  }
  schemas.FailureCode = {
    type: "string",
    enum: Object.entries(ERROR_CODES).filter(([, [kind]]) => kind === "failure").map(([code]) => code),
    description:
      "Codes found in a 2xx answer: why an event, payment, redemption, chain write or webhook delivery failed or was held " +
      "(its failureCode, reason or error), and the API client's own (RC_NETWORK, RC_TIMEOUT).\n\n" +
      codeTable((kind) => kind === "failure" || kind === "client" || kind === "ledger"),
  };
  referShared(document);
  typeStringEnums(document);
  document["x-error-codes"] = Object.fromEntries(Object.entries(ERROR_CODES).map(([code, [kind, meaning]]) => [code, { kind, meaning }]));
  return document;
}
