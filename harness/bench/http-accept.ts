import type { AddressInfo } from "node:net";
import Fastify from "fastify";
import { type Api, buildApp } from "../../services/api/app.js";
import type { Scene } from "./fixtures.js";
import { type LoadFigures, runLoad } from "./load.js";
import type { Bench } from "./setup.js";
import { pollUntil } from "../lib/time.js";

/** The measured run at 64 connections, then shorter ones at fewer and more (each in its own 5 s). */
export const ACCEPT_LOAD = { connections: 64, durationS: 10, warmupS: 2, otherConnections: [8, 256], otherDurationS: 5 } as const;

export interface AcceptFigures {
  /** At 64 connections. */
  api: LoadFigures;
  /** At 8 and at 256 connections, after the run at 64. */
  others: { connections: number; figures: LoadFigures }[];
  hello: LoadFigures;
  /** The warm-up run against the API: its requests record events too. */
  apiWarmup: LoadFigures;
  /**
   * Memory of the process the API runs in, after the last accept run: the bench process itself, so its RSS
   * includes the load generator's thread and the bench's own pool and chain connection (the heap is the
   * main thread's: the API's and the bench's).
   */
  apiMemory: NodeJS.MemoryUsage;
}

export interface Listening {
  app: Api;
  url: string;
  /**
   * Resolves once no request is being handled. autocannon drops its sockets when time is up, but the
   * handlers of the requests it leaves behind still run to the end (and write events): wait for them.
   */
  drained(timeoutMs?: number): Promise<void>;
}

async function listen(app: Api): Promise<Listening> {
  // From a complete body on (one cut off by the client never reaches the handler) to the answer: onSend runs
  // for every answer, errors included, even when the client has already gone (onResponse does not).
  const handling = new Set<string>();
  app.addHook("preValidation", (request, _reply, done) => {
    handling.add(request.id);
    done();
  });
  app.addHook("onSend", (request, _reply, payload, done) => {
    handling.delete(request.id);
    done(null, payload);
  });
  await app.listen({ host: "127.0.0.1", port: 0 });
  const { port } = app.server.address() as AddressInfo;
  return {
    app,
    url: `http://127.0.0.1:${port}`,
    async drained(timeoutMs = 15_000) {
      await pollUntil(async () => handling.size, (size) => size === 0, {
        timeoutMs,
        intervalMs: 10,
        message: (size) => `${size} requests still being handled after ${timeoutMs} ms`,
      });
    },
  };
}

/** The real API as `npm start` builds it, without logging; it carries out the operator's other writes in process but mints nothing. */
export async function startApi(bench: Bench): Promise<Listening> {
  return listen(await buildApp({ config: bench.config, chain: bench.chain, inProcessOperator: { mint: false }, logger: false }));
}

/** The floor of what this machine serves: Fastify parsing the same JSON body and answering {ok:true}. */
async function startHello(): Promise<Listening> {
  const app = Fastify({ logger: false });
  app.post("/v1/collections", async () => ({ ok: true }));
  return listen(app);
}

/**
 * Drives POST /v1/collections with 64 connections for 10 s, each request a new drop-off, after a short
 * warm-up (JIT, pools, caches); then 5 s each at 8 and at 256 connections; then 64 connections against a
 * hello-world Fastify for reference.
 */
export async function measureAccept(api: Listening, scene: Scene, runId: string): Promise<AcceptFigures> {
  const load = (url: string, durationS: number, keyPrefix: string, connections: number = ACCEPT_LOAD.connections) =>
    runLoad({ urls: [url], path: "/v1/collections", connections, durationS, scene, keyPrefix });

  const warmup = await load(api.url, ACCEPT_LOAD.warmupS, `bench-${runId}-warmup`);
  await api.drained();
  const measured = await load(api.url, ACCEPT_LOAD.durationS, `bench-${runId}-accept`);
  await api.drained();
  const others = [];
  for (const connections of ACCEPT_LOAD.otherConnections) {
    others.push({ connections, figures: await load(api.url, ACCEPT_LOAD.otherDurationS, `bench-${runId}-accept-${connections}`, connections) });
    await api.drained();
  }
  const apiMemory = process.memoryUsage();

  const hello = await startHello();
  try {
    await load(hello.url, ACCEPT_LOAD.warmupS, "hello-warmup");
    return { api: measured, others, hello: await load(hello.url, ACCEPT_LOAD.durationS, "hello"), apiWarmup: warmup, apiMemory };
  } finally {
    await hello.app.close();
  }
}
