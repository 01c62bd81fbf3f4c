/**
 * A fault-injecting JSON-RPC proxy on 127.0.0.1, between the services and a node: what an RPC provider does
 * to its clients on a bad day, seeded so a run replays. Each HTTP request (a single call or a batch) draws
 * once from the seeded generator and is forwarded, delayed, or met with one fault:
 *
 * - `timeout`: held, never forwarded, never answered (until the client gives up or the proxy closes);
 * - `status429` / `status5xx`: answered "Too Many Requests" or a 500/502/503/504, not forwarded;
 * - `reset`: the connection destroyed before forwarding;
 * - `lostAnswer`: forwarded, and the connection destroyed instead of the answer. The nasty one: for
 *   eth_sendRawTransaction the node has the transaction while the sender does not know it.
 *
 * `outage(ms)` makes the node unreachable for a window: every connection is closed on arrival. Faults change at
 * run time (`setFaults`) and are counted (`stats`), so a chaos run can print what it injected.
 *
 * `maxLogRange` (K) refuses every eth_getLogs spanning more than K blocks as hosted providers do, with a JSON-RPC
 * error in place of the node's answer (a batch keeps its other answers): a node months old behind Infura.
 */
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo, Socket } from "node:net";
import { prng } from "./random.js";

export const FAULT_KINDS = ["timeout", "status429", "status5xx", "reset", "lostAnswer"] as const;
export type FaultKind = (typeof FAULT_KINDS)[number];

export interface RpcFaults extends Partial<Record<FaultKind, number>> {
  /** Share (0..1) of the requests that are forwarded after a delay (of up to `delayMs`). */
  delay?: number;
  delayMs?: number;
  /** Only requests calling one of these methods are faulted or delayed (a batch: any of its calls). */
  methods?: string[];
  /** Requests calling one of these methods are never faulted nor delayed (a batch: any of its calls). */
  exempt?: string[];
  /**
   * The first targeted requests get each kind with a share once, in order, before the shares take over: a
   * short run meets every kind however little traffic the proxy sees (the services fail over away from it).
   */
  everyKindFirst?: boolean;
}

export interface RpcProxyStats extends Record<FaultKind, number> {
  /** HTTP requests received (a batch counts once). */
  requests: number;
  /** Answered with the node's answer (delayed ones included). */
  forwarded: number;
  delayed: number;
  /** Connections (or requests on a connection opened before it) closed on arrival during an outage. */
  refused: number;
  /** eth_getLogs calls refused for spanning more than `maxLogRange` blocks. */
  tooWideLogs: number;
}

export interface RpcProxy {
  url: string;
  setFaults(faults: RpcFaults): void;
  /** The node unreachable for `ms` (for good, until `restore`, without `ms`). */
  outage(ms?: number): void;
  restore(): void;
  stats(): RpcProxyStats;
  /** eth_getLogs over more than `blocks` blocks refused from now on (any range again, without `blocks`). */
  setMaxLogRange(blocks?: number): void;
  close(): Promise<void>;
}

/** What the proxy answers an eth_getLogs too wide: Infura's code, the message of Infura's and QuickNode's kind. */
export const tooWideLogsError = (maxLogRange: number) => ({ code: -32005, message: `query exceeds max block range ${maxLogRange}` });

interface JsonRpcCall {
  id?: unknown;
  method?: unknown;
  params?: unknown;
}

const STATUS_5XX = [500, 502, 503, 504] as const;

function checkFaults(faults: RpcFaults): void {
  const shares = [...FAULT_KINDS.map((kind) => faults[kind] ?? 0), faults.delay ?? 0];
  if (shares.some((share) => !(share >= 0 && share <= 1))) throw new Error("fault shares must be from 0 to 1");
  if (shares.reduce((sum, share) => sum + share, 0) > 1 + 1e-9) throw new Error("fault shares must add up to 1 at most");
}

const methodsOf = (body: unknown): string[] =>
  (Array.isArray(body) ? body : [body]).map((call) => String((call as { method?: unknown } | null)?.method ?? ""));

export async function startRpcProxy(options: {
  upstream: string;
  seed: number;
  faults?: RpcFaults;
  port?: number;
  maxLogRange?: number;
}): Promise<RpcProxy> {
  const random = prng(options.seed);
  let faults: RpcFaults = {};
  let firsts: FaultKind[] = [];
  const setFaults = (next: RpcFaults) => {
    checkFaults(next);
    faults = { ...next };
    firsts = next.everyKindFirst ? FAULT_KINDS.filter((kind) => (next[kind] ?? 0) > 0) : [];
  };
  setFaults(options.faults ?? {});
  const stats: RpcProxyStats = {
    requests: 0, forwarded: 0, delayed: 0, refused: 0, tooWideLogs: 0, timeout: 0, status429: 0, status5xx: 0, reset: 0, lostAnswer: 0,
  };
  let maxLogRange: number | undefined;
  const setMaxLogRange = (blocks?: number) => {
    if (blocks !== undefined && !(Number.isSafeInteger(blocks) && blocks >= 1)) throw new Error("maxLogRange must be a whole number of blocks, at least 1");
    maxLogRange = blocks;
  };
  setMaxLogRange(options.maxLogRange);
  let downUntil = 0;
  const sockets = new Set<Socket>();
  const timers = new Set<NodeJS.Timeout>();

  /** One draw (and one for the delay, always taken, so the sequence never depends on the outcome). */
  function decide(methods: string[]): { fault?: FaultKind; delayMs: number } {
    const roll = random.next();
    const delayMs = Math.floor(random.next() * (faults.delayMs ?? 0));
    const targeted = !faults.methods || methods.some((method) => faults.methods!.includes(method));
    if (!targeted || methods.some((method) => faults.exempt?.includes(method))) return { delayMs: 0 };
    const first = firsts.shift();
    if (first) return { fault: first, delayMs: 0 };
    let edge = 0;
    for (const kind of FAULT_KINDS) {
      edge += faults[kind] ?? 0;
      if (roll < edge) return { fault: kind, delayMs: 0 };
    }
    return { delayMs: roll < edge + (faults.delay ?? 0) ? delayMs : 0 };
  }

  const wait = (ms: number) =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(() => {
        timers.delete(timer);
        resolve();
      }, ms);
      timers.add(timer);
    });

  async function forward(raw: Buffer): Promise<{ status: number; body: Buffer; type: string }> {
    try {
      const answer = await fetch(options.upstream, { method: "POST", headers: { "content-type": "application/json" }, body: raw });
      return { status: answer.status, body: Buffer.from(await answer.arrayBuffer()), type: answer.headers.get("content-type") ?? "application/json" };
    } catch {
      return { status: 502, body: Buffer.from("upstream unreachable"), type: "text/plain" };
    }
  }

  /** The head, for a range that ends (or starts) at a tag: asked of the node itself. */
  async function head(): Promise<number> {
    const answer = await fetch(options.upstream, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "eth_blockNumber", params: [] }),
    });
    return Number(((await answer.json()) as { result: string }).result);
  }

  /** The calls of `parsed` that are eth_getLogs over more than maxLogRange blocks (a blockHash filter is one block). */
  async function tooWide(parsed: unknown): Promise<JsonRpcCall[]> {
    const limit = maxLogRange;
    if (limit === undefined) return [];
    const calls = (Array.isArray(parsed) ? parsed : [parsed]) as (JsonRpcCall | null)[];
    const wide: JsonRpcCall[] = [];
    let known: number | undefined;
    const block = async (tag: unknown): Promise<number> => {
      if (typeof tag === "string" && tag.startsWith("0x")) return Number(tag);
      if (tag === "earliest") return 0;
      return (known ??= await head()); // latest, pending, safe, finalized, or unset (latest)
    };
    for (const call of calls) {
      if (call?.method !== "eth_getLogs" || !Array.isArray(call.params)) continue;
      const filter = (call.params[0] ?? {}) as { fromBlock?: unknown; toBlock?: unknown; blockHash?: unknown };
      if (filter.blockHash !== undefined) continue;
      if ((await block(filter.toBlock)) - (await block(filter.fromBlock)) + 1 > limit) wide.push(call);
    }
    return wide;
  }

  /** The node's answer with each too-wide call's result replaced by the provider's refusal. */
  function refuseWide(parsed: unknown, answer: { status: number; body: Buffer; type: string }, wide: JsonRpcCall[]) {
    const refusal = (call: JsonRpcCall) => ({ jsonrpc: "2.0", id: call.id ?? null, error: tooWideLogsError(maxLogRange!) });
    stats.tooWideLogs += wide.length;
    if (!Array.isArray(parsed)) return { ...answer, status: 200, body: Buffer.from(JSON.stringify(refusal(wide[0]!))), type: "application/json" };
    let answers: { id?: unknown }[];
    try {
      answers = JSON.parse(answer.body.toString("utf8")) as { id?: unknown }[];
    } catch {
      return answer; // the node's own failure: passed on as it is
    }
    if (!Array.isArray(answers)) return answer;
    const refused = new Map(wide.map((call) => [call.id, refusal(call)]));
    const body = answers.map((entry) => refused.get(entry.id) ?? entry);
    return { ...answer, body: Buffer.from(JSON.stringify(body)), type: "application/json" };
  }

  async function handle(request: IncomingMessage, response: ServerResponse, raw: Buffer): Promise<void> {
    let parsed: unknown;
    try {
      parsed = JSON.parse(raw.toString("utf8"));
    } catch {
      parsed = undefined;
    }
    const { fault, delayMs } = decide(methodsOf(parsed));
    if (fault) stats[fault]++;
    switch (fault) {
      case "timeout":
        return; // held: the socket stays open and silent
      case "status429":
        response.writeHead(429, { "content-type": "text/plain", "retry-after": "1" }).end("Too Many Requests");
        return;
      case "status5xx":
        response.writeHead(STATUS_5XX[random.int(STATUS_5XX.length)]!, { "content-type": "text/plain" }).end("upstream error");
        return;
      case "reset":
        request.socket.destroy();
        return;
    }
    const wide = await tooWide(parsed);
    const answer = wide.length > 0 ? refuseWide(parsed, await forward(raw), wide) : await forward(raw);
    if (fault === "lostAnswer") {
      request.socket.destroy();
      return;
    }
    if (delayMs > 0) {
      stats.delayed++;
      await wait(delayMs);
    }
    if (request.socket.destroyed) return;
    stats.forwarded++;
    response.writeHead(answer.status, { "content-type": answer.type }).end(answer.body);
  }

  const server = createServer((request, response) => {
    if (Date.now() < downUntil) {
      stats.refused++;
      request.socket.destroy();
      return;
    }
    stats.requests++;
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => void handle(request, response, Buffer.concat(chunks)).catch(() => request.socket.destroy()));
  });
  server.on("connection", (socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
    if (Date.now() < downUntil) {
      stats.refused++;
      socket.destroy();
    }
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, "127.0.0.1", () => resolve());
  });

  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    setFaults,
    outage(ms) {
      downUntil = ms === undefined ? Infinity : Date.now() + ms;
      for (const socket of sockets) socket.destroy();
    },
    restore() {
      downUntil = 0;
    },
    stats: () => ({ ...stats }),
    setMaxLogRange,
    close: () =>
      new Promise<void>((resolve) => {
        for (const timer of timers) clearTimeout(timer);
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
