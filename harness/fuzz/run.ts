import { type HDNodeWallet, Wallet } from "ethers";
import { ApiError, createApiClient } from "../../services/api/client/index.js";
import { fetchOver, type RawSend } from "../../services/api/client/raw.js";
import type { Sql } from "../../services/db/sql.js";
import { prng } from "../lib/random.js";
import { generateCases, type FuzzCase, type Known } from "./generate.js";
import { signedCases } from "./signed.js";
import { SSRF_URLS } from "./ssrf-urls.js";

/** One HTTP exchange as given, by app.inject or by fetch against a running server. */
export type Send = RawSend;

const ROLES = ["admin", "collection_point", "brand", "retailer", "sponsor", "processor"] as const;
type Role = (typeof ROLES)[number];

/** The role a route is meant for, by path: the document does not say who may call what. */
function ownRole(route: string): Role {
  if (/^POST \/v1\/(members|programs)/.test(route) || /^GET \/v1\/collectors\//.test(route) || route.includes("/events/")) return "admin";
  if (/loyalty-events/.test(route)) return "brand";
  if (/redemptions|retailers/.test(route)) return "retailer";
  if (/deposits|sponsors/.test(route)) return "sponsor";
  if (/lots/.test(route)) return "processor";
  return "collection_point";
}

/**
 * Routes the fuzz never sends: each would take the scene's own keys away (rotate one, deactivate a member),
 * and every case after it would meet only 401s. test/services/operators covers them, role matrix included.
 */
const LOCKS_OUT_THE_SCENE = /^POST \/v1\/members\/\{id\}\/(rotate-key|deactivate)$/;

export interface Violation {
  fuzzCase: FuzzCase;
  status: number;
  problem: string;
  body: string;
}

export interface FuzzReport {
  total: number;
  byClass: Record<string, number>;
  byRoute: Record<string, Record<string, number>>;
  /** How each route answered its unmutated case: shows which routes the fuzz gets past validation. */
  valid: Record<string, string>;
  /** How each signed case answered (`status code`), by kind: shows how far past the signature checks it got. */
  signed: Record<string, string>;
  /** How each webhook URL of the SSRF list (harness/fuzz/ssrf-urls.ts) answered, by URL: all must be refused. */
  ssrf: Record<string, string>;
  violations: Violation[];
}

/** A subscription to each URL of the SSRF list, with the own (collection point's) key. */
function ssrfCases(): FuzzCase[] {
  return SSRF_URLS.map(({ url, kind }) => ({
    route: "POST /v1/webhooks",
    kind: `ssrf:${kind}:${url}`,
    method: "POST",
    path: "/v1/webhooks",
    pathParams: {},
    query: {},
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ url, events: ["payment.settled"] }),
    auth: "own",
  }));
}

/**
 * Admits one member of each kind with the admin key, creates a recycling program they belong to and
 * registers a collector, so valid-ish cases get past the existence and permission checks.
 */
async function buildScene(send: Send, adminKey: string) {
  // The scene is valid input: the typed client, over the same sender as the cases.
  const api = createApiClient({ baseUrl: "", apiKey: adminKey, fetch: fetchOver(send) });
  const scene = <T>(what: string, answer: Promise<T>) =>
    answer.catch((error: unknown) => {
      throw error instanceof ApiError ? new Error(`fuzz scene: ${what} → ${error.status} ${JSON.stringify(error.body)}`) : error;
    });
  const keys = { admin: adminKey } as Record<Role, string>;
  const ids: Record<string, number> = {};
  const wallets = {} as Record<Role, HDNodeWallet>;
  for (const kind of ROLES.slice(1)) {
    wallets[kind] = Wallet.createRandom();
    const member = await scene("POST /v1/members", api.createMember({ kind, name: `fuzz ${kind}`, address: wallets[kind].address }));
    keys[kind] = member.apiKey;
    ids[kind] = member.id;
  }
  const program = await scene("POST /v1/programs", api.createProgram({
    name: "Fuzz Plastic", symbol: "FZP", kind: "recycling", redemptionRate: "0.01", rates: { PET: "2.5", HDPE: "2" },
  }));
  // Only some kinds may join a recycling program; the others are refused, which is fine for the scene.
  for (const kind of ROLES.slice(1)) await api.grantProgram(program.id, ids[kind]!).catch(() => undefined);
  const collectorWallet = Wallet.createRandom();
  const collector = collectorWallet.address;
  await scene("POST /v1/collectors", api.registerCollector({ address: collector, displayName: "Fuzz" }, { apiKey: keys.collection_point }));
  const network = await scene("GET /v1/network", api.network());
  const signing = {
    chainId: network.chainId,
    program: { id: program.id, name: program.name, token: program.token },
    vault: network.contracts.vault,
    collector: collectorWallet,
    retailer: wallets.retailer,
    stranger: Wallet.createRandom(),
  };
  const known: Known = {
    programId: program.id, memberId: ids.collection_point as number, collector, customer: collector, rates: { PET: "2.5" }, type: "purchase", phone: undefined,
    // A public address as a literal: a name would need DNS, which a fuzz run need not have.
    material: "PET", url: "https://93.184.215.14/fuzz-hook",
  };
  // Path parameters: the scene's program for `id` (most tables start at 1 too), its collector for `address`.
  const pathValues: Record<string, string> = { id: String(program.id), address: collector, collectionId: "1" };
  return { keys, known, pathValues, signing };
}

/** Row counts of every public table in one round trip: cheap enough to take around each rejected case. */
async function rowCounts(sql: Sql): Promise<Map<string, number>> {
  const tables = await sql<{ name: string }[]>`
    select table_name as name from information_schema.tables
    where table_schema = 'public' and table_type = 'BASE TABLE' order by table_name`;
  const union = tables.map((t) => `select '${t.name}' as name, count(*)::int as n from "${t.name}"`).join(" union all ");
  const rows = await sql.unsafe<{ name: string; n: number }[]>(union);
  return new Map(rows.map((r) => [r.name, r.n]));
}

function urlOf(fuzzCase: FuzzCase, pathValues: Record<string, string>): string {
  const path = fuzzCase.path.replace(/\{(\w+)\}/g, (_, name: string) => fuzzCase.pathParams[name] ?? pathValues[name] ?? "1");
  const query = new URLSearchParams(fuzzCase.query).toString();
  return query ? `${path}?${query}` : path;
}

function errorCode(body: string): string {
  try {
    return String(JSON.parse(body)?.error?.code);
  } catch {
    return "(not JSON)";
  }
}

/** Checks one reply: no 5xx; every 4xx carries an RC_ code and a message. */
function replyProblem(status: number, body: string): string | undefined {
  if (status >= 500) return `server error ${status}`;
  if (status < 400) return undefined;
  try {
    const error = JSON.parse(body)?.error;
    if (typeof error?.code !== "string" || !/^RC_/.test(error.code)) return "4xx without an RC_ error code";
    if (typeof error.message !== "string" || error.message.length === 0) return "4xx without an error message";
  } catch {
    return "4xx body is not JSON";
  }
  return undefined;
}

/** Builds the scene, generates `limit` cases from the live OpenAPI document and runs them one at a time. */
export async function runFuzz(options: {
  send: Send;
  sql: Sql;
  adminKey: string;
  seed: number;
  limit: number;
  /** Cases left out on purpose, each with the reason (an issue); matched on `route kind`. */
  skip?: (fuzzCase: FuzzCase) => boolean;
}): Promise<FuzzReport> {
  const { send, sql } = options;
  const doc = JSON.parse((await send({ method: "GET", url: "/openapi.json", headers: {} })).body);
  const scene = await buildScene(send, options.adminKey);
  // A quarter of the cases at most carry real signatures (harness/fuzz/signed.ts), dealt among the others.
  const random = prng(options.seed ^ 0x5eed);
  const signed = (await signedCases(scene.signing, random)).slice(0, Math.floor(options.limit / 4));
  const cases = generateCases(doc, { seed: options.seed, limit: options.limit - signed.length, known: scene.known });
  for (const signedCase of signed) cases.splice(random.int(cases.length + 1), 0, signedCase);
  // Every URL of the SSRF list, whatever the limit: each one must be refused.
  for (const ssrfCase of ssrfCases()) cases.splice(random.int(cases.length + 1), 0, ssrfCase);
  const report: FuzzReport = { total: 0, byClass: {}, byRoute: {}, valid: {}, signed: {}, ssrf: {}, violations: [] };
  let before = await rowCounts(sql);
  for (const fuzzCase of cases) {
    if (options.skip?.(fuzzCase) || LOCKS_OUT_THE_SCENE.test(fuzzCase.route)) continue;
    const role = ownRole(fuzzCase.route);
    const key =
      fuzzCase.auth === "own" ? scene.keys[role]
      : fuzzCase.auth === "other" ? scene.keys[ROLES.find((r) => r !== role && r !== "admin") as Role]
      : fuzzCase.auth === "forged" ? `rc_${"0".repeat(43)}`
      : undefined;
    const headers = { ...fuzzCase.headers, ...(key ? { authorization: `Bearer ${key}` } : {}) };
    const reply = await send({ method: fuzzCase.method, url: urlOf(fuzzCase, scene.pathValues), headers, ...(fuzzCase.body !== undefined ? { body: fuzzCase.body } : {}) });
    const statusClass = `${Math.floor(reply.status / 100)}xx`;
    report.total++;
    report.byClass[statusClass] = (report.byClass[statusClass] ?? 0) + 1;
    const route = (report.byRoute[fuzzCase.route] ??= {});
    route[statusClass] = (route[statusClass] ?? 0) + 1;
    const violation = (problem: string) =>
      report.violations.push({ fuzzCase: { ...fuzzCase, body: fuzzCase.body?.slice(0, 300) }, status: reply.status, problem, body: reply.body.slice(0, 300) });
    const answer = `${reply.status} ${reply.status >= 400 ? errorCode(reply.body) : ""}`.trim();
    if (fuzzCase.kind === "valid") report.valid[fuzzCase.route] = answer;
    if (fuzzCase.kind.startsWith("signed:")) report.signed[fuzzCase.kind.slice("signed:".length)] = answer;
    const problem = replyProblem(reply.status, reply.body);
    if (problem) violation(problem);
    if (fuzzCase.kind.startsWith("ssrf:")) {
      report.ssrf[JSON.parse(fuzzCase.body!).url] = answer;
      if (reply.status < 400) violation("accepted a webhook URL that is not a public address");
    }
    // Accepted requests may write; a rejected one must leave every table as it was.
    const after = await rowCounts(sql);
    if (reply.status >= 400) {
      const changed = [...after].filter(([table, n]) => before.get(table) !== n).map(([table, n]) => `${table} ${before.get(table)}→${n}`);
      if (changed.length > 0) violation(`rejected request wrote rows: ${changed.join(", ")}`);
    }
    before = after;
  }
  return report;
}

/** The report as printed by `npm run fuzz`. */
export function formatReport(report: FuzzReport, seed: number): string {
  const classes = ["2xx", "3xx", "4xx", "5xx"];
  const lines = [`fuzz: ${report.total} cases, seed ${seed}: ${classes.map((c) => `${c} ${report.byClass[c] ?? 0}`).join(", ")}`];
  for (const [route, counts] of Object.entries(report.byRoute)) {
    lines.push(`  ${route.padEnd(44)} ${classes.map((c) => `${c} ${String(counts[c] ?? 0).padStart(3)}`).join("  ")}  valid→${report.valid[route] ?? "-"}`);
  }
  const signed = Object.entries(report.signed).sort(([a], [b]) => a.localeCompare(b));
  if (signed.length > 0) lines.push(`  signed cases (${signed.length}): ${signed.map(([kind, answer]) => `${kind}→${answer}`).join(", ")}`);
  const ssrf = Object.values(report.ssrf);
  if (ssrf.length > 0) {
    const answers = [...new Set(ssrf)].map((answer) => `${answer} ×${ssrf.filter((a) => a === answer).length}`);
    lines.push(`  SSRF webhook URLs (${ssrf.length}): ${answers.join(", ")}`);
  }
  lines.push(`violations: ${report.violations.length}`);
  for (const v of report.violations) {
    lines.push(`  ${v.fuzzCase.route} [${v.fuzzCase.kind}, auth ${v.fuzzCase.auth}] → ${v.status}: ${v.problem}`);
    lines.push(`    request ${JSON.stringify({ pathParams: v.fuzzCase.pathParams, query: v.fuzzCase.query, body: v.fuzzCase.body }).slice(0, 300)}`);
    lines.push(`    reply   ${v.body}`);
  }
  return lines.join("\n");
}
