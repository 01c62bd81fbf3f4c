import type { Random } from "../lib/random.js";
import type { ChaosProcess } from "./process.js";
import { sleep } from "../lib/time.js";

export interface FaultCounts {
  workerKills: number;
  /** SIGKILLs of an API process; the other API restarts are orderly ones (SIGTERM), as a deploy does them. */
  apiKills: number;
  apiRestarts: number;
  /** Kills after which the process came back and was ready again. */
  killsSurvived: number;
  redisFlushes: number;
  /** Keys the flush deleted: all of them under the run's own prefix, none elsewhere. */
  flushedKeys: number;
  /** What happened when, for the report: "12.3 s kill -9 payments-2 (pid 4242), back in 2.1 s". */
  timeline: string[];
}

export interface FaultOptions {
  /** API processes: API restarts take them in turn. */
  apis: ChaosProcess[];
  workers: ChaosProcess[];
  random: Random;
  startedAt: number;
  /** No fault starts after this, once `minKills` have been done (a slow machine may need longer for them). */
  until: number;
  minKills: number;
  /** When to delete the run's Redis keys, once. */
  flushAt: number;
  /** The second kill hits the API, then every `apiEvery`-th after it (the others hit a random worker). */
  apiEvery: number;
  gapMs: [number, number];
  flush(): Promise<number>;
  log(line: string): void;
}

/**
 * Every few seconds (`gapMs`, drawn from the seed) a SIGKILL to a random worker, or the second time and
 * every `apiEvery`-th after to an API (or every other time an orderly SIGTERM), then a restart after a short outage, as a supervisor would;
 * independently, one flush of the run's Redis prefix at `flushAt`. Runs until `until`, or later until
 * `minKills` kills have been done.
 */
export async function runFaults(options: FaultOptions): Promise<FaultCounts> {
  const counts: FaultCounts = { workerKills: 0, apiKills: 0, apiRestarts: 0, killsSurvived: 0, redisFlushes: 0, flushedKeys: 0, timeline: [] };
  const at = () => `${((Date.now() - options.startedAt) / 1000).toFixed(1).padStart(5)} s`;
  const note = (line: string) => {
    counts.timeline.push(`${at()} ${line}`);
    options.log(`chaos: ${at()} ${line}`);
  };

  const flush = (async () => {
    await sleep(Math.max(0, options.flushAt - Date.now()));
    const deleted = await options.flush();
    counts.redisFlushes++;
    counts.flushedKeys += deleted;
    note(`flushed Redis: deleted the ${deleted} keys of this run's own prefix, 20 at a time under load (no FLUSHALL: the Redis is shared)`);
  })().then(
    () => undefined,
    (error: unknown) => error,
  );

  let kills = 0;
  for (;;) {
    const [min, max] = options.gapMs;
    await sleep(min + options.random.int(max - min));
    if (Date.now() >= options.until && kills >= options.minKills) break;
    kills++;
    const apis = options.apis;
    const isApi = (kills - 2) % options.apiEvery === 0;
    const target = isApi ? apis[counts.apiRestarts % apis.length]! : options.random.pick(options.workers);
    const pid = target.pid;
    // Each API in turn, SIGKILL in the first round, an orderly SIGTERM (as a deploy restarts it) in the next, and
    // so on. Workers always get SIGKILL.
    const orderly = isApi && Math.floor(counts.apiRestarts / apis.length) % 2 === 1;
    if (orderly) await target.stop();
    else await target.kill9();
    if (isApi) counts.apiRestarts++;
    if (isApi && !orderly) counts.apiKills++;
    if (!isApi) counts.workerKills++;
    const down = Date.now();
    await sleep(200 + options.random.int(1_300));
    await target.start();
    if (!orderly) counts.killsSurvived++;
    note(`${orderly ? "restart (SIGTERM)" : "kill -9"} ${target.label} (pid ${pid}), back in ${((Date.now() - down) / 1000).toFixed(1)} s`);
  }
  const flushError = await flush;
  if (flushError) throw flushError;
  return counts;
}
