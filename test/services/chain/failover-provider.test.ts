import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { toBeHex, Wallet } from "ethers";
import { afterEach, describe, expect, inject, it } from "vitest";
import { FAULT_KINDS, type RpcFaults, type RpcProxy, startRpcProxy } from "../../../harness/lib/rpc-proxy.js";
import { sleep } from "../../../harness/lib/time.js";
import { ChainWriter } from "../../../services/chain/chain-writer.js";
import { createFailoverProvider, createProvider, DEV_CHAIN_ID } from "../../../services/chain/network.js";
import type { FailoverOptions, FailoverProvider } from "../../../services/chain/failover-provider.js";

const upstream = inject("chainUrl");
const direct = createProvider(upstream);
const closing: (() => unknown)[] = [];
afterEach(async () => {
  await Promise.all(closing.splice(0).map((close) => close()));
});

async function proxy(seed: number, faults?: RpcFaults): Promise<RpcProxy> {
  const started = await startRpcProxy({ upstream, seed, ...(faults ? { faults } : {}) });
  closing.push(() => started.close());
  return started;
}

/**
 * Short pauses: the faults are the proxy's, the waiting need not be a real provider's. The timeout is a second, not
 * less: a busy CI machine's node can take longer than a quarter of one, and that would count as the proxy's fault.
 */
function failover(urls: string[], options: FailoverOptions = {}): { provider: FailoverProvider; warnings: string[] } {
  const warnings: string[] = [];
  const log = { warn: (object: object, message: string) => warnings.push(`${message} ${JSON.stringify(object)}`), error: () => {} };
  const provider = createFailoverProvider(urls, { timeoutMs: 1_000, backoffMs: 10, maxBackoffMs: 100, random: () => 0.5, log, ...options });
  closing.push(() => provider.destroy());
  return { provider, warnings };
}

async function fundedWallet(): Promise<Wallet> {
  const wallet = Wallet.createRandom();
  await direct.send("hardhat_setBalance", [wallet.address, toBeHex(10n ** 18n)]);
  return new Wallet(wallet.privateKey);
}

const injected = (proxy: RpcProxy) => FAULT_KINDS.reduce((sum, kind) => sum + proxy.stats()[kind], 0);

describe("the failover provider", () => {
  it("serves every request from the second endpoint while the first is down, and says so once", async () => {
    const [first, second] = await Promise.all([proxy(1), proxy(2)]);
    first.outage();
    const { provider, warnings } = failover([first.url, second.url]);
    expect(Number((await provider.getNetwork()).chainId)).toBe(DEV_CHAIN_ID);
    for (let i = 0; i < 5; i++) expect(await provider.getBlockNumber()).toBeGreaterThanOrEqual(0);
    expect(first.stats().forwarded).toBe(0);
    expect(second.stats().forwarded).toBeGreaterThan(5);
    const [firstStats, secondStats] = provider.stats();
    expect(firstStats).toMatchObject({ endpoint: first.url, failovers: 1 });
    expect(secondStats).toMatchObject({ endpoint: second.url, failovers: 0, failures: 0 });
    expect(warnings).toEqual([expect.stringContaining("failing over")]);
  });

  it("answers every read correctly with 30 % of the calls faulted at both endpoints", async () => {
    const faults: RpcFaults = { timeout: 0.06, status429: 0.06, status5xx: 0.06, reset: 0.06, lostAnswer: 0.06, delay: 0.1, delayMs: 30 };
    const [first, second] = await Promise.all([proxy(11, faults), proxy(12, faults)]);
    const { provider } = failover([first.url, second.url]);
    const account = (await direct.listAccounts())[0]!.address;
    const expected = [await direct.getBalance(account, 0), (await direct.getBlock(0))!.hash, await direct.getCode(account)];
    for (let round = 0; round < 40; round++) {
      // Issued in one tick, the three travel as one JSON-RPC batch: a fault takes all three.
      const answers = await Promise.all([provider.getBalance(account, 0), provider.getBlock(0).then((block) => block!.hash), provider.getCode(account)]);
      expect(answers).toEqual(expected);
    }
    expect(injected(first) + injected(second)).toBeGreaterThan(15);
    expect(provider.stats().reduce((sum, endpoint) => sum + endpoint.failovers, 0)).toBeGreaterThan(5);
  });

  it("passes the node's own error answers on at once, never retrying them", async () => {
    const only = await proxy(3);
    const { provider } = failover([only.url]);
    await provider.getNetwork();
    const before = only.stats().requests;
    await expect(provider.send("eth_getBalance", ["not an address", "latest"])).rejects.toThrow(/invalid/i);
    await expect(provider.send("no_such_method", [])).rejects.toThrow(/not supported/i);
    expect(only.stats().requests - before).toBe(2);
  });

  it("gives a lost eth_sendRawTransaction answer back as the hash, with exactly one transaction on chain", async () => {
    const [lossy, healthy] = await Promise.all([proxy(4, { lostAnswer: 1, methods: ["eth_sendRawTransaction"] }), proxy(5)]);
    const { provider } = failover([lossy.url, healthy.url]);
    const writer = new ChainWriter((await fundedWallet()).connect(provider));
    const first = await writer.send({ to: writer.address, value: 1n });
    // The next write follows under the next nonce: the lost answer did not make the writer forget the first.
    const second = await writer.send({ to: writer.address, value: 2n });
    expect(lossy.stats().lostAnswer).toBe(1);
    expect([first.nonce, second.nonce]).toEqual([0, 1]);
    for (const sent of [first, second]) expect((await direct.waitForTransaction(sent.hash))?.status).toBe(1);
    expect(await direct.getTransactionCount(writer.address, "latest")).toBe(2);
  });

  it("resends a transaction to the same node after a lost answer and takes its 'nonce too low' for the hash it has", async () => {
    const lossy = await proxy(6, { lostAnswer: 1, methods: ["eth_sendRawTransaction"] });
    const { provider } = failover([lossy.url]);
    const wallet = (await fundedWallet()).connect(provider);
    const signed = await wallet.signTransaction(await wallet.populateTransaction({ to: wallet.address, value: 1n }));
    const sent = provider.send("eth_sendRawTransaction", [signed]);
    await sleep(50);
    lossy.setFaults({});
    expect(await sent).toBe((await direct.waitForTransaction(await sent))!.hash);
    expect(await direct.getTransactionCount(wallet.address, "latest")).toBe(1);
    // A transaction the node does not have keeps its refusal: a nonce taken by another transaction.
    const other = await wallet.signTransaction({ ...(await wallet.populateTransaction({ to: wallet.address, value: 2n })), nonce: 0 });
    await expect(provider.send("eth_sendRawTransaction", [other])).rejects.toThrow(/nonce too low/i);
  });

  it("goes back to the preferred endpoint a while after leaving it", async () => {
    const [first, second] = await Promise.all([proxy(7), proxy(8)]);
    const { provider } = failover([first.url, second.url], { returnAfterMs: 300 });
    await provider.getBlockNumber();
    first.outage(200);
    await provider.getBlockNumber();
    const served = first.stats().forwarded;
    await sleep(350);
    await provider.getBlockNumber();
    expect(first.stats().forwarded).toBe(served + 1);
  });

  it("gives up after its attempts when no endpoint answers", async () => {
    const [first, second] = await Promise.all([proxy(9), proxy(10)]);
    first.outage();
    second.outage();
    const { provider } = failover([first.url, second.url], { attempts: 4 });
    await expect(provider.send("eth_blockNumber", [])).rejects.toThrow(/no RPC endpoint answered after 4 attempts/);
  });

  it("refuses a WebSocket endpoint at once, which ethers' JsonRpcProvider could not speak either", () => {
    expect(() => createFailoverProvider([upstream, "wss://rpc.example.org/key"])).toThrow(/wss:\/\/rpc.example.org: WebSocket RPC endpoints are not supported/);
  });

  it("refuses, at connect, an endpoint that serves another chain", async () => {
    const mainnet: Server = createServer((request, response) => {
      request.resume().on("end", () => response.end(JSON.stringify({ jsonrpc: "2.0", id: 0, result: "0x1" })));
    });
    await new Promise<void>((resolve) => mainnet.listen(0, "127.0.0.1", resolve));
    closing.push(() => new Promise((resolve) => mainnet.close(resolve)));
    const other = `http://127.0.0.1:${(mainnet.address() as AddressInfo).port}`;
    const { provider } = failover([upstream, other], { chainId: DEV_CHAIN_ID });
    await expect(provider.verifyEndpoints()).rejects.toThrow(`the RPC endpoint ${other} serves chain 1, not chain ${DEV_CHAIN_ID}`);
  });
});
