/**
 * How the API's request validation is configured and how its failures read: extra Ajv checks (EIP-55 checksums,
 * date-times PostgreSQL can store) and one message that names each field and lists every problem.
 */
import type { Ajv, ErrorObject } from "ajv";
import { checksumValid } from "../core/addresses.js";
import { saneDateTime } from "../core/input-bounds.js";

/** The schema keyword on addresses: a mixed-case address must carry a valid EIP-55 checksum. */
export const CHECKSUM_KEYWORD = "x-eip55";
/** The schema keyword on answers that carry a secret (API key, webhook secret, claim code, session token). */
export const SECRET_KEYWORD = "x-secret";

/** At most this many problems are listed; the rest are counted. */
const MAX_PROBLEMS = 20;
/**
 * Only Ajv's first errors are read: a 64 KB body can carry tens of thousands (an array of 30,000 wrong items), and
 * grouping a union's branches compares errors pairwise, which over all of them took seconds a request.
 */
const MAX_ERRORS_READ = 200;
const IN_UNION = /\/(anyOf|oneOf)\/\d+\//;

/** Adds the API's own checks to the request validator (Fastify's `ajv.onCreate`, after ajv-formats). */
export function extendAjv(ajv: Ajv): void {
  ajv.addKeyword({
    keyword: CHECKSUM_KEYWORD,
    type: "string",
    schemaType: "boolean",
    validate: (enabled: boolean, data: string) => !enabled || checksumValid(data),
  });
  ajv.addKeyword({ keyword: SECRET_KEYWORD, schemaType: "boolean" });
  // Stricter than RFC 3339 alone: a date-time must be a real instant that PostgreSQL and Date both hold.
  ajv.addFormat("date-time", { type: "string", validate: saneDateTime });
}

export interface ValidationFailure {
  code: "RC_VALIDATION" | "RC_BAD_CHECKSUM";
  message: string;
}

interface Problem {
  checksum: boolean;
  text: string;
}

/**
 * Ajv's errors (allErrors) as one message, `body/grams must be >= 1; body/material must be one of: PET, HDPE`:
 * each problem names its field, a union's branches read as one problem, and the code is RC_BAD_CHECKSUM when a
 * wrong checksum is all that is wrong.
 */
export function describeValidation(all: readonly ErrorObject[], context: string): ValidationFailure {
  const errors = all.slice(0, MAX_ERRORS_READ);
  const unions = errors.filter((e) => e.keyword === "anyOf" || e.keyword === "oneOf");
  const inUnion = (e: ErrorObject) => unions.some((u) => u !== e && e.schemaPath.startsWith(`${u.schemaPath}/`));
  const problems: Problem[] = [];
  for (const error of errors) {
    // A union's branch is told with its union; one whose union fell past the errors read is left out with it.
    if (inUnion(error) || IN_UNION.test(error.schemaPath)) continue;
    const field = `${context}${error.instancePath}`;
    if (error.keyword === "anyOf" || error.keyword === "oneOf") {
      const branches = errors.filter((e) => e.schemaPath.startsWith(`${error.schemaPath}/`) && e.instancePath === error.instancePath);
      const checksum = branches.find((e) => e.keyword === CHECKSUM_KEYWORD);
      if (checksum) problems.push(describe(checksum, field));
      else if (constants(branches, error.schemaPath)) {
        const allowed = branches.filter((e) => e.keyword === "const").map((e) => String(e.params.allowedValue));
        problems.push({ checksum: false, text: `${field} must be one of: ${allowed.join(", ")}` });
      } else {
        const kinds = [...new Set(branches.filter((e) => e.instancePath === error.instancePath).map((e) => describe(e, "").text.trim()))];
        problems.push({ checksum: false, text: `${field} ${kinds.length > 0 ? kinds.join(" or ") : "must match one of its allowed forms"}` });
      }
      continue;
    }
    problems.push(describe(error, field));
  }
  const lines = [...new Set(problems.map((p) => p.text))];
  const shown = lines.slice(0, MAX_PROBLEMS);
  const more = lines.length - shown.length;
  const tail = all.length > errors.length ? "; and more" : more > 0 ? `; and ${more} more` : "";
  return {
    code: problems.length > 0 && problems.every((p) => p.checksum) ? "RC_BAD_CHECKSUM" : "RC_VALIDATION",
    message: `${shown.join("; ")}${tail}` || `${context} is invalid`,
  };
}

/** Whether every branch of the union at `unionPath` is a constant (a union of literals, e.g. a material). */
function constants(branches: readonly ErrorObject[], unionPath: string): boolean {
  const branchOf = (e: ErrorObject) => e.schemaPath.slice(unionPath.length + 1).split("/", 1)[0];
  const all = new Set(branches.map(branchOf));
  const constant = new Set(branches.filter((e) => e.keyword === "const").map(branchOf));
  return all.size > 0 && constant.size === all.size;
}

function describe(error: ErrorObject, field: string): Problem {
  const params = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case CHECKSUM_KEYWORD:
      return { checksum: true, text: `${field} has a wrong EIP-55 checksum (send it all lower-case or correctly checksummed)` };
    case "required":
      return { checksum: false, text: `${field}/${String(params.missingProperty)} is required` };
    case "additionalProperties":
      return { checksum: false, text: `${field}/${String(params.additionalProperty)} is not allowed` };
    case "enum":
      // Worded as a union of literals is, so a string enum reads the same as before it was one.
      return { checksum: false, text: `${field} must be one of: ${(params.allowedValues as unknown[]).map(String).join(", ")}` };
    case "propertyNames":
      return { checksum: false, text: `${field} has a key not allowed: ${String(params.propertyName)}` };
    case "format":
      if (params.format === "date-time") {
        return { checksum: false, text: `${field} must be an RFC 3339 date-time between 1970 and 9999 (e.g. 2030-01-31T00:00:00Z)` };
      }
      return { checksum: false, text: `${field} ${error.message ?? "is invalid"}` };
    default:
      return { checksum: false, text: `${field} ${error.message ?? "is invalid"}` };
  }
}
