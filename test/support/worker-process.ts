import { type ChildProcess, spawn } from "node:child_process";
import { DEV_OPERATOR_KEY } from "../../services/chain/network.js";
import type { Stack } from "./stack.js";

const ROOT = new URL("../../", import.meta.url).pathname;

/** Runs a worker entry (workers/<name>.ts) as its own process against the stack, as production runs it. */
export function spawnWorker(stack: Stack, name: string, env: Record<string, string>): ChildProcess & { output: string[] } {
  const child = spawn(process.execPath, ["--import", "tsx", `workers/${name}.ts`], {
    cwd: ROOT,
    stdio: ["ignore", "pipe", "pipe"],
    env: {
      PATH: process.env.PATH,
      DATABASE_URL: stack.config.databaseUrl,
      REDIS_URL: stack.config.redisUrl,
      REDIS_PREFIX: stack.config.redisPrefix,
      ...(stack.config.chainRpcUrls.length > 1 ? { CHAIN_RPC_URLS: stack.config.chainRpcUrls.join(",") } : { CHAIN_RPC_URL: stack.config.chainRpcUrl! }),
      OPERATOR_PRIVATE_KEY: DEV_OPERATOR_KEY,
      ADDRESS_BOOK: stack.config.addressBookPath,
      // Info: the start line (its signer, the rows it re-enqueued) is what some tests read; a worker logs little else.
      LOG_LEVEL: "info",
      ...env,
    },
  }) as ChildProcess & { output: string[] };
  child.output = [];
  child.stdout!.on("data", (chunk) => child.output.push(String(chunk)));
  child.stderr!.on("data", (chunk) => child.output.push(String(chunk)));
  return child;
}

/** Resolves when the process has exited, with its signal or code. */
export const exited = (child: ChildProcess) =>
  new Promise<string>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve(String(child.signalCode ?? child.exitCode));
    else child.once("exit", (code, signal) => resolve(String(signal ?? code)));
  });
