import { keccak256, toBeHex, Wallet } from "ethers";
import { afterEach, describe, expect, inject, it } from "vitest";
import { type RpcFaults, type RpcProxy, startRpcProxy } from "../../harness/lib/rpc-proxy.js";
import { sleep } from "../../harness/lib/time.js";
import { createProvider } from "../../services/chain/network.js";

const upstream = inject("chainUrl");
const proxies: RpcProxy[] = [];
afterEach(async () => {
  await Promise.all(proxies.splice(0).map((proxy) => proxy.close()));
});

async function proxy(seed: number, faults?: RpcFaults) {
  const started = await startRpcProxy({ upstream, seed, ...(faults ? { faults } : {}) });
  proxies.push(started);
  return started;
}

const rpc = (method: string, params: unknown[] = [], id = 1) => ({ jsonrpc: "2.0", id, method, params });

type Outcome = "ok" | "timeout" | "429" | "5xx" | "closed";

/**
 * What a client sees of one request: the answer's body, or how it failed. The patience is long because a
 * busy machine's node can take a second to answer, and "timeout" must mean the proxy held the request.
 */
async function call(url: string, body: unknown, timeoutMs = 5_000): Promise<{ outcome: Outcome; json?: unknown }> {
  try {
    const response = await fetch(url, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(timeoutMs),
    });
    if (response.status === 429) return { outcome: "429" };
    if (response.status >= 500) return { outcome: "5xx" };
    return { outcome: "ok", json: await response.json() };
  } catch (error) {
    return { outcome: (error as Error).name === "TimeoutError" ? "timeout" : "closed" };
  }
}

async function outcomes(url: string, count: number): Promise<Outcome[]> {
  const seen: Outcome[] = [];
  for (let i = 0; i < count; i++) seen.push((await call(url, rpc("eth_blockNumber"))).outcome);
  return seen;
}

/** A funded wallet of its own, so no other test's nonces move under this one. */
async function fundedWallet(): Promise<Wallet> {
  const wallet = Wallet.createRandom();
  await call(upstream, rpc("hardhat_setBalance", [wallet.address, toBeHex(10n ** 18n)]), 5_000);
  return wallet.connect(createProvider(upstream)) as unknown as Wallet;
}

const mixed: RpcFaults = { timeout: 0.1, status429: 0.1, status5xx: 0.1, reset: 0.1, lostAnswer: 0.1, delay: 0.2, delayMs: 50 };

describe("the fault-injecting JSON-RPC proxy", () => {
  it("forwards single calls and batches to the node unchanged when it injects nothing", async () => {
    const { url } = await proxy(1);
    const direct = await call(upstream, rpc("eth_chainId"));
    expect(await call(url, rpc("eth_chainId"))).toEqual(direct);
    const batch = await call(url, [rpc("eth_chainId", [], 1), rpc("eth_getBalance", ["0x0000000000000000000000000000000000000000", "latest"], 2)]);
    expect(batch.outcome).toBe("ok");
    expect((batch.json as { id: number }[]).map((answer) => answer.id).sort()).toEqual([1, 2]);
  });

  it("with maxLogRange, refuses eth_getLogs over more blocks as a provider does, alone or in a batch, and forwards the rest", async () => {
    const limited = await startRpcProxy({ upstream, seed: 11, maxLogRange: 5 });
    proxies.push(limited);
    await call(upstream, rpc("hardhat_mine", ["0x10"]));
    const head = Number(((await call(upstream, rpc("eth_blockNumber"))).json as { result: string }).result);
    const logs = (from: number | string, to: number | string, id = 1) =>
      rpc("eth_getLogs", [{ fromBlock: typeof from === "number" ? toBeHex(from) : from, toBlock: typeof to === "number" ? toBeHex(to) : to }], id);
    const refusal = { code: -32005, message: "query exceeds max block range 5" };

    expect((await call(limited.url, logs(head - 5, head))).json).toEqual({ jsonrpc: "2.0", id: 1, error: refusal });
    expect((await call(limited.url, logs("earliest", "latest"))).json).toMatchObject({ error: refusal });
    expect((await call(limited.url, rpc("eth_getLogs", [{ fromBlock: toBeHex(head - 10) }]))).json).toMatchObject({ error: refusal });
    // Five blocks pass with the node's own answer, and so does the head alone by its tag.
    expect((await call(limited.url, logs(head - 4, head))).json).toEqual((await call(upstream, logs(head - 4, head))).json);
    expect((await call(limited.url, logs("latest", "latest"))).json).toMatchObject({ result: expect.any(Array) });

    const batch = await call(limited.url, [logs(head - 9, head, 1), rpc("eth_chainId", [], 2), logs(head - 1, head, 3)]);
    const byId = new Map((batch.json as { id: number; result?: unknown; error?: unknown }[]).map((answer) => [answer.id, answer]));
    expect(byId.get(1)).toMatchObject({ error: refusal });
    expect(byId.get(2)).toMatchObject({ result: expect.any(String) });
    expect(byId.get(3)).toMatchObject({ result: expect.any(Array) });
    expect(limited.stats().tooWideLogs).toBe(4);

    limited.setMaxLogRange();
    expect((await call(limited.url, logs(head - 9, head))).json).toMatchObject({ result: expect.any(Array) });
    expect(() => limited.setMaxLogRange(0)).toThrow(/whole number of blocks/);
  });

  it("injects each fault kind, in the shares asked, and counts every one it injected", async () => {
    const faulty = await proxy(7, mixed);
    // All at once, each with 3 s of patience: a held request is told from a slow answer without 150 waits.
    const seen = await Promise.all(Array.from({ length: 150 }, async () => (await call(faulty.url, rpc("eth_blockNumber"), 3_000)).outcome));
    const stats = faulty.stats();
    const count = (outcome: Outcome) => seen.filter((o) => o === outcome).length;
    expect(stats.requests).toBe(150);
    for (const kind of ["timeout", "status429", "status5xx", "reset", "lostAnswer", "delayed"] as const) expect(stats[kind]).toBeGreaterThan(0);
    expect(count("timeout")).toBe(stats.timeout);
    expect(count("429")).toBe(stats.status429);
    expect(count("5xx")).toBe(stats.status5xx);
    expect(count("closed")).toBe(stats.reset + stats.lostAnswer);
    expect(count("ok")).toBe(stats.forwarded);
    // Half of the requests faulted, bounded by the draw: 75 expected, far from none or all.
    expect(150 - stats.forwarded).toBeGreaterThan(50);
    expect(150 - stats.forwarded).toBeLessThan(100);
  });

  it("with everyKindFirst, gives the first requests each kind with a share once, however small the shares", async () => {
    const rare: RpcFaults = { status429: 0.001, status5xx: 0.001, reset: 0.001, lostAnswer: 0.001, everyKindFirst: true };
    const faulty = await proxy(3, rare);
    expect(await outcomes(faulty.url, 4)).toEqual(["429", "5xx", "closed", "closed"]);
    const stats = faulty.stats();
    expect([stats.status429, stats.status5xx, stats.reset, stats.lostAnswer, stats.timeout]).toEqual([1, 1, 1, 1, 0]);
  });

  it("replays the same faults for the same seed, and others for another seed", async () => {
    const faults: RpcFaults = { status429: 0.2, status5xx: 0.2, reset: 0.2 };
    const [first, again, other] = await Promise.all([proxy(42, faults), proxy(42, faults), proxy(43, faults)]);
    const run = await outcomes(first.url, 40);
    expect(await outcomes(again.url, 40)).toEqual(run);
    expect(await outcomes(other.url, 40)).not.toEqual(run);
  });

  it("faults only the methods it targets and never the ones it exempts", async () => {
    const targeted = await proxy(3, { status429: 1, methods: ["eth_blockNumber"] });
    expect((await call(targeted.url, rpc("eth_chainId"))).outcome).toBe("ok");
    expect((await call(targeted.url, rpc("eth_blockNumber"))).outcome).toBe("429");
    // A batch holding a targeted call is faulted as a whole, as a provider would.
    expect((await call(targeted.url, [rpc("eth_chainId", [], 1), rpc("eth_blockNumber", [], 2)])).outcome).toBe("429");

    const exempting = await proxy(3, { status5xx: 1, exempt: ["eth_chainId"] });
    expect((await call(exempting.url, rpc("eth_chainId"))).outcome).toBe("ok");
    expect((await call(exempting.url, rpc("eth_blockNumber"))).outcome).toBe("5xx");
    expect(() => exempting.setFaults({ reset: 0.7, timeout: 0.7 })).toThrow(/add up to 1/);
  });

  it("loses the answer of a transaction it forwarded: the node has it, the sender only sees a closed connection", async () => {
    const lossy = await proxy(5, { lostAnswer: 1, methods: ["eth_sendRawTransaction"] });
    const wallet = await fundedWallet();
    const signed = await wallet.signTransaction(await wallet.populateTransaction({ to: wallet.address, value: 1n }));
    expect((await call(lossy.url, rpc("eth_sendRawTransaction", [signed]), 5_000)).outcome).toBe("closed");
    const known = await call(upstream, rpc("eth_getTransactionByHash", [keccak256(signed)]), 5_000);
    expect((known.json as { result: { hash: string } | null }).result?.hash).toBe(keccak256(signed));
    expect(lossy.stats().lostAnswer).toBe(1);
    wallet.provider!.destroy();
  });

  it("makes the node unreachable for an outage's window, then answers again", async () => {
    const flaky = await proxy(9);
    expect((await call(flaky.url, rpc("eth_chainId"))).outcome).toBe("ok");
    flaky.outage(300);
    expect((await call(flaky.url, rpc("eth_chainId"))).outcome).toBe("closed");
    await sleep(350);
    expect((await call(flaky.url, rpc("eth_chainId"))).outcome).toBe("ok");
    flaky.outage();
    expect((await call(flaky.url, rpc("eth_chainId"))).outcome).toBe("closed");
    flaky.restore();
    expect((await call(flaky.url, rpc("eth_chainId"))).outcome).toBe("ok");
    expect(flaky.stats().refused).toBe(2);
  });

  it("changes its faults at run time", async () => {
    const changing = await proxy(11);
    expect(await outcomes(changing.url, 5)).toEqual(Array(5).fill("ok"));
    changing.setFaults({ status429: 1 });
    expect(await outcomes(changing.url, 5)).toEqual(Array(5).fill("429"));
    changing.setFaults({});
    expect(await outcomes(changing.url, 5)).toEqual(Array(5).fill("ok"));
  });
});
