/**
 * The accept phase of the bench alone, to profile it (bench/PROFILE.md): `npx tsx harness/bench/profile-accept.ts`.
 * The API and the load generator (a worker thread) run as in `npm run bench`; the API's thread is profiled over
 * the measured 10 s only (.recircle/accept.cpuprofile, for Chrome's DevTools or speedscope). After the load it
 * prints what PostgreSQL counted for the run's database and EXPLAIN (ANALYZE, BUFFERS) of the accept statements
 * (pg_stat_statements needs a server restart to load, which a shared server does not get).
 */
import { mkdir, writeFile } from "node:fs/promises";
import { Session } from "node:inspector/promises";
import { createScene } from "./fixtures.js";
import { ACCEPT_LOAD, startApi } from "./http-accept.js";
import { runLoad } from "./load.js";
import { startBench } from "./setup.js";

const log = (line: string) => console.log(line);
const bench = await startBench(log);
try {
  const api = await startApi(bench);
  const scene = await createScene(api.url, bench.adminKey, { points: 8, collectors: 400 });
  const load = (durationS: number, prefix: string) =>
    runLoad({ urls: [api.url], path: "/v1/collections", connections: ACCEPT_LOAD.connections, durationS, scene, keyPrefix: prefix });
  await load(ACCEPT_LOAD.warmupS, "profile-warmup");
  await api.drained();
  await bench.sql`select pg_stat_reset()`;
  const session = new Session();
  session.connect();
  await session.post("Profiler.enable");
  await session.post("Profiler.start");
  const figures = await load(ACCEPT_LOAD.durationS, "profile");
  await api.drained();
  const { profile } = await session.post("Profiler.stop");
  const path = new URL("../../.recircle/accept.cpuprofile", import.meta.url).pathname;
  await mkdir(new URL("../../.recircle/", import.meta.url).pathname, { recursive: true });
  await writeFile(path, JSON.stringify(profile));
  log(`profile: ${path}`);
  await api.app.close();
  log(`accept: ${figures.requestsPerS.toFixed(0)} req/s, p50 ${figures.p50Ms} ms, p99 ${figures.p99Ms} ms, ${figures.ok} ok`);
  // The statistics collector flushes a backend's counters when it goes idle: give it a moment.
  await new Promise((resolve) => setTimeout(resolve, 1_500));
  const [stats] = await bench.sql`
    select xact_commit, xact_rollback, blks_hit, blks_read, tup_inserted, tup_updated, tup_returned, tup_fetched
    from pg_stat_database where datname = current_database()`;
  log(`database: ${JSON.stringify(stats, (_k, v) => (typeof v === "bigint" ? Number(v) : v))} (per accepted request: divide by ${figures.ok})`);
  const [event] = await bench.sql<{ programId: string; issuerId: string; beneficiary: string; evidenceHash: string }[]>`
    select program_id as "programId", issuer_id as "issuerId", beneficiary, evidence_hash as "evidenceHash"
    from events order by id desc limit 1`;
  const explain = async (label: string, statement: string) => {
    const plan = await bench.sql.unsafe(`explain (analyze, buffers, timing) ${statement}`);
    log(`\n${label}\n${plan.map((row) => row["QUERY PLAN"]).join("\n")}`);
  };
  const { programId, issuerId, beneficiary, evidenceHash } = event!;
  const live = `status in ('pending', 'submitted', 'included', 'confirmed', 'escrowed')`;
  await explain(
    "cap sums and evidence check",
    `select
       coalesce((select sum(credit) from events where program_id = ${programId} and beneficiary = '${beneficiary}'
         and created_at >= date_trunc('day', now(), 'UTC') and ${live}), 0)::text,
       coalesce((select sum(credit) from events where program_id = ${programId} and issuer_id = ${issuerId}
         and created_at >= date_trunc('day', now(), 'UTC') and ${live}), 0)::text,
       exists (select 1 from events where program_id = ${programId} and evidence_hash = '${evidenceHash}')`,
  );
  await bench.sql.begin(async (tx) => {
    const plan = await tx.unsafe(`explain (analyze, buffers, timing)
      insert into events (kind, program_id, issuer_id, beneficiary, material, grams, credit, status, reasons)
      values ('collection', ${programId}, ${issuerId}, '${beneficiary}', 'PET', 100, 1, 'pending', '{}')`);
    log(`\nevent insert (rolled back)\n${plan.map((row) => row["QUERY PLAN"]).join("\n")}`);
    const key = await tx.unsafe(`explain (analyze, buffers, timing)
      insert into idempotency_keys (member_id, key, request_hash) values (${issuerId}, 'explain-key', 'x') on conflict do nothing`);
    log(`\nidempotency key insert (rolled back)\n${key.map((row) => row["QUERY PLAN"]).join("\n")}`);
    throw new Error("rollback");
  }).catch((error: Error) => {
    if (error.message !== "rollback") throw error;
  });
} finally {
  await bench.close({ keepLogs: false });
}
