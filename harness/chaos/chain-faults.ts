/**
 * The chain's own faults, injected into an Anvil node and the RPC proxies in front of it while the chaos load
 * runs: what a real network does to recircle on a bad day. Each kind happens at least once, in a seeded order
 * spread over the run:
 *
 * - a reorganisation no deeper than CHAIN_CONFIRMATIONS (it takes back what is only included) and one deeper
 *   (it takes back what was confirmed), by `anvil_reorg` with empty blocks: their transactions are gone;
 * - a mint dropped from the node's pool (`anvil_dropTransaction`) before any block takes it;
 * - a base-fee spike of 50× held for a while (`anvil_setNextBlockBaseFeePerGas` before each block);
 * - RPC faults through the proxies for the whole run, and one proxy unreachable for a few seconds;
 * - the node stopped and started again from its `--state` file (its pool does not survive).
 */
import { createProvider } from "../../services/chain/network.js";
import { type AnvilNode, startAnvil, stopAnvil } from "../lib/anvil.js";
import type { Random } from "../lib/random.js";
import type { RpcProxy, RpcProxyStats } from "../lib/rpc-proxy.js";
import { sleep } from "../lib/time.js";

export const CHAIN_FAULT_KINDS = ["shallowReorg", "deepReorg", "droppedMint", "feeSpike", "rpcOutage", "nodeRestart"] as const;
export type ChainFaultKind = (typeof CHAIN_FAULT_KINDS)[number];

export interface ChainFaultCounts extends Record<ChainFaultKind, number> {
  /** What the proxies did to the services' calls over the run, summed. */
  rpc: RpcProxyStats;
  timeline: string[];
}

export interface ChainFaultOptions {
  /** The node; a restart replaces it (same port, same state file). */
  node: { current: AnvilNode };
  /** The proxies the services reach the node through: the first is the faulty one. */
  proxies: RpcProxy[];
  /** The operator's address: its mints are what a drop takes out of the pool. */
  operator: string;
  confirmations: number;
  random: Random;
  startedAt: number;
  /** The faults are spread from `startedAt` to here. */
  until: number;
  /** How long the base fee stays 50× up. */
  spikeMs: number;
  log(line: string): void;
}

/** The share of the services' calls the first proxy faults for the whole run: every kind, none of them often. */
export const RUN_RPC_FAULTS = {
  ...{ timeout: 0.003, status429: 0.03, status5xx: 0.03, reset: 0.02, lostAnswer: 0.02, delay: 0.1, delayMs: 300 },
  everyKindFirst: true,
};

export async function runChainFaults(options: ChainFaultOptions): Promise<ChainFaultCounts> {
  const counts: ChainFaultCounts = {
    shallowReorg: 0,
    deepReorg: 0,
    droppedMint: 0,
    feeSpike: 0,
    rpcOutage: 0,
    nodeRestart: 0,
    rpc: { requests: 0, forwarded: 0, delayed: 0, refused: 0, tooWideLogs: 0, timeout: 0, status429: 0, status5xx: 0, reset: 0, lostAnswer: 0 },
    timeline: [],
  };
  const at = () => `${((Date.now() - options.startedAt) / 1000).toFixed(1).padStart(5)} s`;
  const note = (line: string) => {
    counts.timeline.push(`${at()} ${line}`);
    options.log(`chain: ${at()} ${line}`);
  };
  const rpc = <T>(method: string, params: unknown[] = []) => {
    const provider = createProvider(options.node.current.url);
    return (provider.send(method, params) as Promise<T>).finally(() => provider.destroy());
  };

  options.proxies[0]!.setFaults(RUN_RPC_FAULTS);
  note(`RPC faults on ${options.proxies[0]!.url} for the whole run (429s, 5xx, resets, lost answers, held calls, delays)`);

  const faults: Record<ChainFaultKind, () => Promise<boolean>> = {
    async shallowReorg() {
      const depth = Math.max(1, options.confirmations);
      await rpc("anvil_reorg", [depth, []]);
      note(`reorganised the last ${depth} block(s), no deeper than the confirmations (${options.confirmations})`);
      return true;
    },
    async deepReorg() {
      const depth = options.confirmations + 2;
      await rpc("anvil_reorg", [depth, []]);
      note(`reorganised the last ${depth} blocks, deeper than the confirmations (${options.confirmations})`);
      return true;
    },
    async droppedMint() {
      // A mint waits in the pool until the next block (2 s at most): look for one, and take it out.
      const deadline = Date.now() + 30_000;
      while (Date.now() < deadline) {
        const pool = await rpc<{ pending: Record<string, Record<string, { hash: string }>> }>("txpool_content");
        const mine = Object.entries(pool.pending).find(([from]) => from.toLowerCase() === options.operator.toLowerCase());
        const tx = mine && Object.values(mine[1])[0];
        if (tx) {
          await rpc("anvil_dropTransaction", [tx.hash]);
          note(`dropped the operator's transaction ${tx.hash.slice(0, 10)}… from the node's pool`);
          return true;
        }
        await sleep(50);
      }
      note("found no operator transaction in the pool to drop within 30 s");
      return false;
    },
    async feeSpike() {
      const latest = await rpc<{ baseFeePerGas?: string }>("eth_getBlockByNumber", ["latest", false]);
      const base = BigInt(latest.baseFeePerGas ?? 1_000_000_000);
      const spiked = base * 50n;
      note(`base fee up 50× (${base} → ${spiked} wei) for ${(options.spikeMs / 1000).toFixed(0)} s`);
      const end = Date.now() + options.spikeMs;
      // Each block's base fee follows the last one's use: it is set again before every block.
      while (Date.now() < end) {
        await rpc("anvil_setNextBlockBaseFeePerGas", [`0x${spiked.toString(16)}`]);
        await sleep(500);
      }
      await rpc("anvil_setNextBlockBaseFeePerGas", [`0x${base.toString(16)}`]);
      note(`base fee back to ${base} wei`);
      return true;
    },
    async rpcOutage() {
      const ms = 3_000 + options.random.int(2_000);
      options.proxies[0]!.outage(ms);
      note(`${options.proxies[0]!.url} unreachable for ${(ms / 1000).toFixed(1)} s`);
      await sleep(ms);
      return true;
    },
    async nodeRestart() {
      const old = options.node.current;
      if (!old.options.stateFile) throw new Error("a node restart needs the node's --state file");
      const down = Date.now();
      await stopAnvil(old);
      options.node.current = await startAnvil(old.options);
      note(`restarted the node from its --state file, back in ${((Date.now() - down) / 1000).toFixed(1)} s (its pool did not survive)`);
      return true;
    },
  };

  const order = options.random.shuffle([...CHAIN_FAULT_KINDS]);
  const gap = Math.max(1_000, (options.until - Date.now()) / (order.length + 1));
  for (const kind of order) {
    await sleep(gap / 2 + options.random.int(gap));
    if (await faults[kind]()) counts[kind]++;
  }
  for (const proxy of options.proxies) {
    const stats = proxy.stats();
    for (const key of Object.keys(counts.rpc) as (keyof RpcProxyStats)[]) counts.rpc[key] += stats[key];
  }
  return counts;
}
