/**
 * Request cases from an OpenAPI 3 document, with no I/O: a valid-ish request per operation and its mutations
 * (missing, wrong-typed and extra fields, boundary numbers, oversized strings and bodies, wrong content type,
 * invalid JSON, wrong auth, invalid path parameters) and hostile values wherever a field of their kind is (a NUL
 * character in every string, year 0 and 30 February in every date-time, a wrong EIP-55 checksum in every address,
 * keys outside a record's pattern and null values in it). A seeded PRNG makes a run reproducible from `--seed`.
 */
import { getAddress } from "ethers";
import { prng, type Random } from "../lib/random.js";

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type Schema = Record<string, any>;

/** Who a case authenticates as: the route's own role, none, a forged key, or another role's key. */
export type Auth = "own" | "none" | "forged" | "other";

export interface FuzzCase {
  /** `METHOD /path/{template}`, for counts per route. */
  route: string;
  /** What the case varies, e.g. `missing:programId`; `valid` for the unmutated request. */
  kind: string;
  method: string;
  /** The path template; `{name}` is filled by the runner from its scene unless `pathParams` sets it. */
  path: string;
  pathParams: Record<string, string>;
  query: Record<string, string>;
  headers: Record<string, string>;
  /** A raw body (already serialised), or undefined for none. */
  body?: string;
  auth: Auth;
}

/** Values the runner's scene knows (ids, addresses), used where a field of that name is generated. */
export type Known = Record<string, Json | undefined>;


/** A string for the simple patterns the API uses; anything else gets a short word within the length bounds. */
function stringFor(schema: Schema, random: Random): string {
  if (Array.isArray(schema.examples) && typeof schema.examples[0] === "string") return schema.examples[0];
  const pattern: string | undefined = schema.pattern;
  const hex = pattern?.match(/^\^0x\[0-9a-fA-F\]\{(\d+)\}\$$/);
  if (hex) return `0x${random.hex(Number(hex[1]))}`;
  if (pattern?.startsWith("^(0|[1-9][0-9]")) return `${1 + random.int(20)}.5`;
  const digits = pattern?.match(/^\^\\d\{(\d+)\}\$$/);
  if (digits) return String(random.int(10 ** Number(digits[1]))).padStart(Number(digits[1]), "0");
  if (pattern === "^[A-Z0-9]{1,11}$") return `FZ${random.int(1_000_000)}`;
  if (schema.format === "date-time") return new Date(Date.UTC(2025, random.int(12), 1 + random.int(28))).toISOString();
  if (schema.format === "uri" || /url/i.test(schema.description ?? "")) return "https://example.com/hook";
  if (/E\.164/.test(schema.description ?? "")) return `+62812${String(random.int(1e7)).padStart(7, "0")}`;
  const word = `fuzz-${random.hex(6)}`;
  const max = schema.maxLength ?? 64;
  return word.slice(0, Math.max(schema.minLength ?? 1, Math.min(max, word.length)));
}

/** A value the schema accepts (as far as simple generation goes), preferring what the scene knows by name. */
export function valueFor(schema: Schema, random: Random, known: Known = {}, name?: string): Json {
  if (name !== undefined && known[name] !== undefined) return known[name] as Json;
  if (schema.const !== undefined) return schema.const;
  if (Array.isArray(schema.enum)) return random.pick(schema.enum);
  const branches = schema.anyOf ?? schema.oneOf;
  if (branches) return valueFor(random.pick(branches.filter((b: Schema) => b.type !== "null")), random, known, name);
  switch (Array.isArray(schema.type) ? schema.type[0] : schema.type) {
    case "string":
      return stringFor(schema, random);
    case "integer":
    case "number":
      return Math.max(schema.minimum ?? 1, Math.min(schema.maximum ?? 100, 1 + random.int(5)));
    case "boolean":
      return random.next() < 0.5;
    case "array":
      return Array.from({ length: Math.max(1, schema.minItems ?? 1) }, () => valueFor(schema.items ?? {}, random, known));
    case "object":
    default: {
      const out: Record<string, Json> = {};
      const required = new Set<string>(schema.required ?? []);
      for (const [key, sub] of Object.entries<Schema>(schema.properties ?? {})) {
        // Optional fields half the time: the valid case should not always look the same.
        // The scene marks a field `undefined` to leave it out of valid requests (e.g. `phone` beside `collector`).
        if (!required.has(key) && key in known && known[key] === undefined) continue;
        if (required.has(key) || key in known || random.next() < 0.5) out[key] = valueFor(sub, random, known, key);
      }
      if (schema.type === undefined && !schema.properties) return "fuzz";
      // A record (OpenAPI writes TypeBox's patternProperties as an additionalProperties schema): one entry.
      const entry = recordEntry(schema);
      if (entry && !schema.properties) out.fuzz = valueFor(entry, random, known);
      return out;
    }
  }
}

/** The schema of a record's entries, if `schema` is a record. */
function recordEntry(schema: Schema): Schema | undefined {
  if (schema.patternProperties) return Object.values<Schema>(schema.patternProperties)[0];
  return schema.additionalProperties && typeof schema.additionalProperties === "object" ? schema.additionalProperties : undefined;
}

/** A value of a different JSON type than the schema asks for. */
function wrongType(schema: Schema): Json {
  const type = schema.type ?? (schema.anyOf ? "string" : "object");
  if (type === "string") return 12345;
  if (type === "integer" || type === "number") return "12";
  if (type === "boolean") return "true";
  if (type === "array") return { not: "an array" };
  return ["not", "an", "object"];
}

const BOUNDARY_NUMBERS = [0, -1, 2 ** 53, 1e300, 1.5];
const ADDRESS_PATTERN = "^0x[0-9a-fA-F]{40}$";
/** Date-times RFC 3339's grammar admits that are no instant PostgreSQL (or Date) can hold. */
const BAD_DATE_TIMES = { year0: "0000-01-01T00:00:00Z", "feb-30": "2030-02-30T00:00:00Z", "leap-second": "2030-06-30T23:59:60Z" };
/** The kinds of the hostile-value cases, for a run (or a test) that wants only them. */
export const HOSTILE_KINDS = /^(nul|bad-checksum|date|record-key|record-null):|^query:[^:]+:(nul|bad-checksum|date-)|^path:[^:]+:(nul|bad-checksum)$/;

/** A mixed-case address whose EIP-55 checksum is wrong: a checksummed address with one letter's case flipped. */
export function badChecksum(random: Random): string {
  for (;;) {
    const good = getAddress(`0x${random.hex(40)}`);
    const letters = [...good].map((c, i) => (i > 1 && /[a-fA-F]/.test(c) ? i : -1)).filter((i) => i >= 0);
    if (letters.length < 3) continue;
    const at = letters[0]!;
    const c = good[at]!;
    const bad = `${good.slice(0, at)}${c === c.toUpperCase() ? c.toLowerCase() : c.toUpperCase()}${good.slice(at + 1)}`;
    const digits = bad.slice(2);
    if (digits !== digits.toLowerCase() && digits !== digits.toUpperCase()) return bad;
  }
}

type Path = (string | number)[];

/** `value` with the leaf at `path` replaced by `leaf` (a copy: `value` is left as it was). */
function setAt(value: Json, path: Path, leaf: Json): Json {
  if (path.length === 0) return leaf;
  const [head, ...rest] = path;
  if (Array.isArray(value)) return value.map((item, i) => (i === head ? setAt(item, rest, leaf) : item));
  const object = (value ?? {}) as Record<string, Json>;
  return { ...object, [head as string]: setAt(object[head as string] ?? null, rest, leaf) };
}

/** Every place in `value` (generated from `schema`) a hostile value fits, with the schema found there. */
function places(schema: Schema, value: Json, path: Path = [], out: { path: Path; schema: Schema }[] = []) {
  const branch = schema.anyOf?.find((b: Schema) => b.type !== "null") ?? schema;
  out.push({ path, schema: branch });
  if (Array.isArray(value)) value.forEach((item, i) => places(branch.items ?? {}, item, [...path, i], out));
  else if (value && typeof value === "object") {
    for (const [key, inner] of Object.entries(value)) {
      const sub = branch.properties?.[key] ?? recordEntry(branch) ?? {};
      places(sub, inner, [...path, key], out);
    }
  }
  return out;
}

/** Hostile variants of a valid body: per string a NUL, per address a wrong checksum, per date-time a bad one, per record a bad key and a null. */
function hostileBodies(schema: Schema, valid: Json, random: Random): [string, Json][] {
  const out: [string, Json][] = [];
  for (const { path, schema: at } of places(schema, valid)) {
    const name = path.join(".") || "body";
    const current = path.reduce<Json>((v, k) => (v as Record<string, Json>)?.[k as string] ?? null, valid);
    if (typeof current === "string") {
      out.push([`nul:${name}`, setAt(valid, path, `${current.slice(0, 10)}\u0000x`)]);
      if (at.pattern === ADDRESS_PATTERN) out.push([`bad-checksum:${name}`, setAt(valid, path, badChecksum(random))]);
      if (at.format === "date-time") for (const [label, bad] of Object.entries(BAD_DATE_TIMES)) out.push([`date:${name}:${label}`, setAt(valid, path, bad)]);
    }
    if (recordEntry(at) && current && typeof current === "object" && !Array.isArray(current)) {
      const [first] = Object.values(current);
      out.push([`record-key:${name}`, setAt(valid, path, { ...current, "Not A Key": first ?? null })]);
      for (const key of Object.keys(current).slice(0, 1)) out.push([`record-null:${name}`, setAt(valid, [...path, key], null)]);
    }
  }
  return out;
}
const TEN_KB = "x".repeat(10 * 1024);
const TWO_MB = 2 * 1024 * 1024;

/** Every case for one operation, the valid one first. */
/**
 * A valid body for an operation: one of the document's hand-written examples (a real request, which a generated
 * value is not always), with the scene's values put in wherever a field of that name is (its program, collector,
 * ids); generated from the schema when the document has no example. An example holding a field the scene leaves out
 * of valid requests (`phone` beside `collector`) is passed over for another.
 */
export function validBody(media: Schema, random: Random, known: Known = {}): Record<string, Json> {
  const examples = Object.values<Schema>(media.examples ?? {}).map((e) => e.value).filter((v): v is Record<string, Json> => isObject(v));
  const leftOut = Object.keys(known).filter((key) => known[key] === undefined);
  const usable = examples.filter((example) => !leftOut.some((key) => key in example));
  if (usable.length === 0) return valueFor(media.schema ?? {}, random, known) as Record<string, Json>;
  return withKnown(structuredClone(random.pick(usable)), known);
}

const isObject = (value: unknown): value is Record<string, Json> => typeof value === "object" && value !== null && !Array.isArray(value);

/** `value` with each field the scene knows by name set to the scene's value, at any depth. */
function withKnown(value: Record<string, Json>, known: Known): Record<string, Json> {
  for (const [key, inner] of Object.entries(value)) {
    if (key in known && known[key] !== undefined) value[key] = known[key] as Json;
    else if (isObject(inner)) withKnown(inner, known);
  }
  return value;
}

function operationCases(method: string, path: string, op: Schema, random: Random, known: Known): FuzzCase[] {
  const route = `${method} ${path}`;
  const headers: Record<string, string> = {};
  const query: Record<string, string> = {};
  const pathNames: string[] = [];
  for (const param of op.parameters ?? []) {
    if (param.in === "path") pathNames.push(param.name);
    // A required header (the Idempotency-Key) gets a fresh value per case so replays never mask a case.
    if (param.in === "header" && param.required) headers[param.name] = `fuzz-${random.hex(16)}`;
    if (param.in === "query" && param.required) query[param.name] = String(valueFor(param.schema ?? {}, random, known, param.name));
  }
  const media: Schema | undefined = op.requestBody?.content?.["application/json"];
  const bodySchema: Schema | undefined = media?.schema;
  const valid = bodySchema ? validBody(media!, random, known) : undefined;
  const base = (kind: string, over: Partial<FuzzCase> = {}): FuzzCase => ({
    route, kind, method, path, pathParams: {}, query: { ...query },
    headers: { ...headers, ...(valid !== undefined ? { "content-type": "application/json" } : {}) },
    ...(valid !== undefined ? { body: JSON.stringify(valid) } : {}),
    auth: "own",
    ...over,
  });
  const withBody = (kind: string, body: Json) => base(kind, { body: JSON.stringify(body) });
  const cases: FuzzCase[] = [base("valid")];
  for (const auth of ["none", "forged", "other"] as const) cases.push(base(`auth:${auth}`, { auth }));
  for (const name of pathNames) {
    for (const [label, value] of [["text", "abc"], ["negative", "-1"], ["zero", "0"], ["huge", "9".repeat(400)], ["unicode", "%E2%9C%93"], ["bad-encoding", "%zz"], ["nul", "1%00"]]) {
      cases.push(base(`path:${name}:${label}`, { pathParams: { [name]: value as string } }));
    }
    const schema = (op.parameters ?? []).find((p: Schema) => p.in === "path" && p.name === name)?.schema ?? {};
    if (schema.pattern === ADDRESS_PATTERN) cases.push(base(`path:${name}:bad-checksum`, { pathParams: { [name]: badChecksum(random) } }));
  }
  for (const param of op.parameters ?? []) {
    if (param.in !== "query") continue;
    const at = (value: string) => ({ query: { ...query, [param.name]: value } });
    cases.push(base(`query:${param.name}:wrong`, at("not-a-value")));
    cases.push(base(`query:${param.name}:huge`, at("9".repeat(400))));
    cases.push(base(`query:${param.name}:nul`, at(`${query[param.name] ?? "x"}\u0000`)));
    if (param.schema?.pattern === ADDRESS_PATTERN) cases.push(base(`query:${param.name}:bad-checksum`, at(badChecksum(random))));
    if (param.schema?.format === "date-time") {
      for (const [label, bad] of Object.entries(BAD_DATE_TIMES)) cases.push(base(`query:${param.name}:date-${label}`, at(bad)));
    }
  }
  if (valid === undefined || bodySchema === undefined) {
    if (method === "POST") cases.push(base("unexpected-body", { body: '{"x":1}', headers: { ...headers, "content-type": "application/json" } }));
    return cases;
  }
  const properties = Object.entries<Schema>(bodySchema.properties ?? {});
  for (const key of bodySchema.required ?? []) {
    const { [key]: _dropped, ...rest } = valid;
    cases.push(withBody(`missing:${key}`, rest));
  }
  for (const [key, sub] of properties) {
    cases.push(withBody(`wrong-type:${key}`, { ...valid, [key]: wrongType(sub) }));
    cases.push(withBody(`null:${key}`, { ...valid, [key]: null }));
    const type = sub.type ?? sub.anyOf?.[0]?.type;
    if (type === "integer" || type === "number") {
      for (const n of BOUNDARY_NUMBERS) cases.push(withBody(`boundary:${key}:${n}`, { ...valid, [key]: n }));
    }
    if (type === "string") cases.push(withBody(`oversized:${key}`, { ...valid, [key]: TEN_KB }));
  }
  for (const [kind, body] of hostileBodies(bodySchema, valid, random)) cases.push(withBody(kind, body));
  cases.push(withBody("extra-field", { ...valid, fuzzExtra: "surprise" }));
  cases.push(withBody("array-body", [valid]));
  cases.push(withBody("empty-object", {}));
  cases.push(base("body-2mb", { body: JSON.stringify({ ...valid, padding: "x".repeat(TWO_MB) }) }));
  cases.push(base("invalid-json", { body: '{"programId": 1,' }));
  cases.push(base("empty-body", { body: "" }));
  cases.push(base("content-type:text", { headers: { ...headers, "content-type": "text/plain" } }));
  cases.push(base("content-type:form", { headers: { ...headers, "content-type": "application/x-www-form-urlencoded" } }));
  return cases;
}

/**
 * All cases for every operation in `doc`, each operation's own list shuffled, then dealt round-robin so a
 * limit of N still reaches every route (and the valid case of each route comes in the first round).
 */
export function generateCases(doc: Schema, options: { seed: number; limit: number; known?: Known }): FuzzCase[] {
  const random = prng(options.seed);
  const out: FuzzCase[] = [];
  // Passes over the document until the limit: each pass draws fresh valid values, so later passes are new cases.
  for (let pass = 0; pass < 10 && out.length < options.limit; pass++) {
    const perOperation: FuzzCase[][] = [];
    for (const [path, item] of Object.entries<Schema>(doc.paths ?? {})) {
      for (const [method, op] of Object.entries<Schema>(item)) {
        if (!["get", "post", "put", "patch", "delete"].includes(method)) continue;
        const [first, ...rest] = operationCases(method.toUpperCase(), path, op, random, options.known ?? {});
        perOperation.push([first as FuzzCase, ...random.shuffle(rest)]);
      }
    }
    for (let round = 0; out.length < options.limit; round++) {
      const dealt = perOperation.filter((list) => round < list.length);
      if (dealt.length === 0) break;
      for (const list of dealt) if (out.length < options.limit) out.push(list[round] as FuzzCase);
    }
  }
  return out;
}
