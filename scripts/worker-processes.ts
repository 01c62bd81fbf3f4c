import { type ChildProcess, spawn } from "node:child_process";
import { createInterface } from "node:readline";

const ROOT = new URL("../", import.meta.url).pathname;

/** The background processes `npm start` runs beside the API, one each (workers/<name>.ts). */
export const WORKERS = ["payments", "redemptions", "indexer", "webhooks"] as const;

/**
 * Starts workers/<name>.ts as a child process with this process's environment, its output prefixed with
 * its name. A worker that dies is reported, not restarted: in production a supervisor (systemd,
 * Kubernetes, compose `restart:`) owns restarts; here a dead worker should be seen.
 */
export function startWorker(name: string, onExit: (name: string, code: number | null, signal: string | null) => void): ChildProcess {
  const child = spawn(process.execPath, ["--import", "tsx", `workers/${name}.ts`], {
    cwd: ROOT,
    stdio: ["ignore", "pipe", "pipe"],
    env: process.env,
  });
  for (const stream of [child.stdout!, child.stderr!]) {
    createInterface({ input: stream }).on("line", (line) => console.log(`[${name}] ${line}`));
  }
  child.on("exit", (code, signal) => onExit(name, code, signal));
  return child;
}

/** Asks every child to stop and waits (up to `timeoutMs`) until they have. */
export async function stopAll(children: ChildProcess[], timeoutMs = 10_000): Promise<void> {
  await Promise.all(
    children.map(
      (child) =>
        new Promise<void>((resolve) => {
          if (child.exitCode !== null || child.signalCode !== null) return resolve();
          const timer = setTimeout(() => child.kill("SIGKILL"), timeoutMs);
          child.once("exit", () => {
            clearTimeout(timer);
            resolve();
          });
          child.kill("SIGTERM");
        }),
    ),
  );
}
