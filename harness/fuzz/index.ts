/**
 * npm run fuzz [-- --seed N --cases N]: requests generated from the OpenAPI document against the API, checking
 * no 5xx, every 4xx coded, no row written by a rejected request. Self-contained by default (its own Hardhat
 * node, network, database and Redis prefix, as the bench); with --url it fuzzes a running server instead and
 * needs --database-url and --admin-key to build its scene and count rows. Exits non-zero on any violation.
 */
import { randomBytes } from "node:crypto";
import { parseArgs } from "node:util";
import { buildApp } from "../../services/api/app.js";
import { FUZZ_RATE_LIMITS } from "../lib/load-limits.js";
import { rawRequest } from "../../services/api/client/raw.js";
import { createSql } from "../../services/db/sql.js";
import { startBench } from "../bench/setup.js";
import { formatReport, runFuzz, type Send } from "./run.js";

const { values } = parseArgs({
  options: {
    seed: { type: "string", default: "1" },
    cases: { type: "string", default: "1500" },
    url: { type: "string" },
    "database-url": { type: "string" },
    "admin-key": { type: "string" },
  },
});
const seed = Number(values.seed);
const limit = Number(values.cases);
if (!Number.isInteger(seed) || !Number.isInteger(limit) || limit < 1) throw new Error("--seed and --cases take integers");
const log = (line: string) => console.log(line);
const started = Date.now();

async function againstServer(url: string) {
  if (!values["database-url"] || !values["admin-key"]) throw new Error("--url needs --database-url and --admin-key");
  const sql = createSql(values["database-url"], { max: 2 });
  const send: Send = (request) => rawRequest(url, request);
  try {
    return await runFuzz({ send, sql, adminKey: values["admin-key"], seed, limit });
  } finally {
    await sql.end({ timeout: 5 });
  }
}

async function selfContained() {
  // Phone and session secrets so the phone-collector and sign-in routes are fuzzed too, not refused as unconfigured.
  const secret = () => randomBytes(32).toString("base64url");
  const bench = await startBench(log, { SESSION_SECRET: secret(), PHONE_SALT: secret(), ...FUZZ_RATE_LIMITS });
  let failed = true;
  try {
    // No batcher: minting writes rows in the background, which would look like a rejected request writing.
    const app = await buildApp({ config: bench.config, chain: bench.chain, inProcessOperator: { mint: false }, logger: false });
    await app.ready();
    const send: Send = async ({ method, url, headers, body }) => {
      const reply = await app.inject({ method: method as "GET", url, headers, ...(body !== undefined ? { payload: body } : {}) });
      return { status: reply.statusCode, body: reply.body };
    };
    try {
      const report = await runFuzz({ send, sql: bench.sql, adminKey: bench.adminKey, seed, limit });
      failed = false;
      return report;
    } finally {
      await app.close();
    }
  } finally {
    await bench.close({ keepLogs: failed });
  }
}

const report = values.url ? await againstServer(values.url) : await selfContained();
log(formatReport(report, seed));
log(`fuzz: done in ${((Date.now() - started) / 1000).toFixed(1)} s`);
process.exit(report.violations.length > 0 ? 1 : 0);
