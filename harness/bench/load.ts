import { Worker } from "node:worker_threads";

/** One autocannon run, described in plain data so it can cross into the load generator's thread. */
export interface LoadSpec {
  /** One or more servers: the connections are split evenly over them (two API processes, round robin). */
  urls: string[];
  path: string;
  /** In all, over every url. */
  connections: number;
  durationS: number;
  /** Collection bodies for these points, collectors and program, each request with a fresh Idempotency-Key. */
  scene: { programId: number; pointKeys: string[]; collectors: string[] };
  /** Makes keys unique across runs against one database. */
  keyPrefix: string;
}

export interface LoadFigures {
  requestsPerS: number;
  p50Ms: number;
  p99Ms: number;
  completed: number;
  ok: number;
  non2xx: number;
  errors: number;
  timeouts: number;
  statusCodes: Record<string, number>;
  /** 2xx answers per url of the spec, in its order. */
  okPerUrl: number[];
}

/**
 * Runs autocannon in a worker thread: a separate event loop (and core, when one is free), so the load
 * generator never queues behind the server it measures, which stays on this thread like a real process.
 */
export function runLoad(spec: LoadSpec): Promise<LoadFigures> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(new URL("./load-worker.ts", import.meta.url), { workerData: spec });
    let answered = false;
    worker.once("message", (figures: LoadFigures) => {
      answered = true;
      resolve(figures);
    });
    worker.once("error", reject);
    worker.once("exit", (code) => {
      if (!answered) reject(new Error(`the load generator exited (${code}) without a result`));
    });
  });
}
