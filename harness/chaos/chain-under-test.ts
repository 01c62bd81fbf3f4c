/**
 * The chain a chain-fault chaos run owns: an Anvil node that behaves like a network (harness/lib/anvil.ts),
 * keeping its state in a file so it can be restarted, and two fault-injecting RPC proxies in front of it, the
 * services' two "providers" (CHAIN_RPC_URLS). Faults are set by the chain-fault injector; `calm` clears them
 * for the drain.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type AnvilNode, startAnvil, stopAnvil } from "../lib/anvil.js";
import { freePort } from "../lib/isolated-run.js";
import { type RpcProxy, startRpcProxy } from "../lib/rpc-proxy.js";

export interface ChainUnderTest {
  node: { current: AnvilNode };
  proxies: RpcProxy[];
  /** No more RPC faults: what is left in flight settles at the node's pace. */
  calm(): void;
  close(options: { keepLogs: boolean }): Promise<void>;
}

export async function startChainUnderTest(seed: number, log: (line: string) => void): Promise<ChainUnderTest> {
  const stateDir = await mkdtemp(join(tmpdir(), "recircle-chaos-anvil-"));
  const node = { current: await startAnvil({ port: await freePort(), stateDir, stateFile: join(stateDir, "state.json") }) };
  const opts = node.current.options;
  log(`chain:    Anvil at ${node.current.url} (chain ${opts.chainId}, a block every ${opts.blockSeconds} s, ${opts.gasLimit} gas a block)`);
  const proxies = [
    await startRpcProxy({ upstream: node.current.url, seed: seed + 10 }),
    await startRpcProxy({ upstream: node.current.url, seed: seed + 11 }),
  ];
  log(`chain:    the services reach it through two RPC proxies, ${proxies.map((proxy) => proxy.url).join(" and ")}`);
  return {
    node,
    proxies,
    calm: () => proxies.forEach((proxy) => (proxy.setFaults({}), proxy.restore())),
    async close({ keepLogs }) {
      await Promise.all(proxies.map((proxy) => proxy.close()));
      await stopAnvil(node.current);
      if (keepLogs) log(`chain logs kept in ${stateDir}`);
      else await rm(stateDir, { recursive: true, force: true });
    },
  };
}
