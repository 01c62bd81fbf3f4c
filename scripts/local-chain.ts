import { type ChildProcess, spawn } from "node:child_process";
import { createWriteStream } from "node:fs";
import { mkdir } from "node:fs/promises";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { createProvider } from "../services/chain/network.js";
import { pollUntil } from "../harness/lib/time.js";

const HARDHAT_CLI = join(dirname(createRequire(import.meta.url).resolve("hardhat/package.json")), "dist/src/cli.js");

/** Runs `hardhat <args>` with this Node, its output to `logFile`, and `env` added to this process's. */
export function runHardhat(args: string[], logFile: string, env: Record<string, string> = {}): ChildProcess {
  const log = createWriteStream(logFile, { flags: "a" });
  const child = spawn(process.execPath, [HARDHAT_CLI, ...args], {
    stdio: ["ignore", "pipe", "pipe"],
    env: { ...process.env, ...env, HARDHAT_DISABLE_TELEMETRY: "true" },
  });
  child.stdout!.pipe(log);
  child.stderr!.pipe(log);
  return child;
}

/** Whether a JSON-RPC node answers at `url`, and its chain id. */
export async function probeChain(url: string): Promise<number | undefined> {
  const provider = createProvider(url);
  try {
    return Number((await provider.send("eth_chainId", [])) as string);
  } catch {
    return undefined;
  } finally {
    provider.destroy();
  }
}

/** A development node's block time when nothing else happens: short enough that confirmations come by themselves. */
export const DEV_BLOCK_INTERVAL_MS = 1_000;

/**
 * Makes a development node mine a block every `intervalMs` as well as on each transaction. A node that mines
 * only on demand never makes the block after the last transaction, so an indexer CHAIN_CONFIRMATIONS behind
 * the head would never read the newest writes (a credit "confirmed" that no balance shows).
 */
export async function mineOnInterval(url: string, intervalMs = DEV_BLOCK_INTERVAL_MS): Promise<void> {
  const provider = createProvider(url);
  try {
    await provider.send("evm_setIntervalMining", [intervalMs]);
  } finally {
    provider.destroy();
  }
}

/**
 * Starts a Hardhat node on 127.0.0.1:`port` (never 0.0.0.0), mining on an interval as well as on demand, and
 * waits until it answers. Its state lives
 * only as long as the process: a restarted node is a new, empty chain.
 */
export async function startHardhatNode(port: number, stateDir: string): Promise<ChildProcess> {
  await mkdir(stateDir, { recursive: true });
  const node = runHardhat(["node", "--hostname", "127.0.0.1", "--port", String(port)], join(stateDir, "hardhat-node.log"));
  const url = `http://127.0.0.1:${port}`;
  const answers = async () => {
    if (node.exitCode !== null) throw new Error(`the Hardhat node exited (${node.exitCode}); see ${stateDir}/hardhat-node.log`);
    return (await probeChain(url)) !== undefined;
  };
  try {
    await pollUntil(answers, (answered) => answered, { timeoutMs: 60_000, intervalMs: 250, message: () => `the Hardhat node did not answer at ${url} within 60 s` });
    await mineOnInterval(url);
    return node;
  } catch (error) {
    node.kill("SIGTERM");
    throw error;
  }
}

/** Runs a Hardhat command to completion, failing with its log's location when it fails. */
export function runHardhatToEnd(args: string[], logFile: string, env: Record<string, string> = {}): Promise<void> {
  const child = runHardhat(args, logFile, env);
  return new Promise((resolve, reject) => {
    child.on("error", reject);
    child.on("exit", (code) => (code === 0 ? resolve() : reject(new Error(`hardhat ${args.join(" ")} failed; see ${logFile}`))));
  });
}
