/**
 * Anvil (Foundry's node, from the npm registry: the binary ships inside `@foundry-rs/anvil`), the second EVM
 * client recircle runs on. It is started here like a public network, not like a convenient dev node: a chain
 * id other than 31337, a block every few seconds whatever arrives, and a block gas limit like an L2's. Its
 * fault methods (`anvil_reorg`, `anvil_dropTransaction`, `anvil_setNextBlockBaseFeePerGas`,
 * `evm_setAutomine`) and `--state` restarts are what the chain chaos and the network tests inject.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { createWriteStream } from "node:fs";
import { mkdir } from "node:fs/promises";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { probeChain } from "../../scripts/local-chain.js";
import { pollUntil } from "./time.js";

/**
 * The platform's binary, spawned directly: the package's `bin.mjs` wrapper is a second process, and a SIGKILL
 * to it (a chaos kill, a crashed test) would orphan the node.
 */
function anvilBinary(): string {
  const arch = { x64: "amd64", arm64: "arm64" }[process.arch as string];
  if (!arch) throw new Error(`Anvil has no binary for ${process.platform}/${process.arch}`);
  const require = createRequire(import.meta.url);
  // Resolved through @foundry-rs/anvil, whose optional dependency the platform package is.
  const wrapper = dirname(require.resolve("@foundry-rs/anvil/package.json"));
  const platformPackage = createRequire(join(wrapper, "package.json")).resolve(`@foundry-rs/anvil-${process.platform}-${arch}/package.json`);
  return join(dirname(platformPackage), "bin", process.platform === "win32" ? "anvil.exe" : "anvil");
}

/** Not 31337: nothing may work only because the chain is Hardhat's. */
export const ANVIL_CHAIN_ID = 412_346;
/** Seconds between blocks: a network's pace, so inclusion and confirmation take real time. */
export const ANVIL_BLOCK_SECONDS = 2;
/** Like a public L2's (OP Stack chains started at 30M): a 16.7M-gas batch must still fit twice. */
export const ANVIL_BLOCK_GAS_LIMIT = 30_000_000;

export interface AnvilOptions {
  port: number;
  /** Its log goes to `<stateDir>/anvil.log`. */
  stateDir: string;
  chainId?: number;
  /** 0: no interval mining (blocks only by `evm_mine`, or on each transaction with automine on). */
  blockSeconds?: number;
  gasLimit?: number;
  /** Loads this state file at start and writes it back on exit: a restarted node keeps its chain. */
  stateFile?: string;
}

export interface AnvilNode {
  url: string;
  process: ChildProcess;
  options: Required<Omit<AnvilOptions, "stateFile">> & Pick<AnvilOptions, "stateFile">;
}

/** Starts Anvil on 127.0.0.1 (never 0.0.0.0) and waits until it answers with its chain id. */
export async function startAnvil(options: AnvilOptions): Promise<AnvilNode> {
  const resolved = {
    chainId: ANVIL_CHAIN_ID,
    blockSeconds: ANVIL_BLOCK_SECONDS,
    gasLimit: ANVIL_BLOCK_GAS_LIMIT,
    ...options,
  };
  await mkdir(resolved.stateDir, { recursive: true });
  const args = [
    "--host", "127.0.0.1",
    "--port", String(resolved.port),
    "--chain-id", String(resolved.chainId),
    "--gas-limit", String(resolved.gasLimit),
    // Anvil's default accounts come from the same published mnemonic as Hardhat's, so the dev keys sign here too.
    "--accounts", "10",
    ...(resolved.blockSeconds > 0 ? ["--block-time", String(resolved.blockSeconds)] : ["--no-mining"]),
    ...(resolved.stateFile ? ["--state", resolved.stateFile] : []),
  ];
  const log = createWriteStream(join(resolved.stateDir, "anvil.log"), { flags: "a" });
  const child = spawn(anvilBinary(), args, { stdio: ["ignore", "pipe", "pipe"] });
  child.stdout!.pipe(log);
  child.stderr!.pipe(log);
  // A process that ends without stopping its node (a test worker that exits mid-setup) takes the node along
  // instead of leaving it serving on its port; a node stopped or restarted earlier drops the hook.
  const reap = () => child.kill("SIGKILL");
  process.once("exit", reap);
  child.once("exit", () => process.off("exit", reap));
  const url = `http://127.0.0.1:${resolved.port}`;
  try {
    await pollUntil(
      async () => {
        if (child.exitCode !== null) throw new Error(`anvil exited (${child.exitCode}); see ${resolved.stateDir}/anvil.log`);
        return probeChain(url);
      },
      (chainId) => chainId === resolved.chainId,
      { timeoutMs: 30_000, intervalMs: 100, message: () => `anvil did not answer at ${url} within 30 s` },
    );
  } catch (error) {
    child.kill("SIGKILL");
    throw error;
  }
  return { url, process: child, options: resolved };
}

/**
 * Stops the node with SIGINT, on which Anvil writes its `--state` file before exiting (SIGKILL would lose the
 * chain since the last periodic dump).
 */
export function stopAnvil(node: AnvilNode): Promise<void> {
  const child = node.process;
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill("SIGKILL"), 10_000);
    child.once("exit", () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill("SIGINT");
  });
}
