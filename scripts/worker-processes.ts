import { type ChildProcess, spawn } from "node:child_process";
import { createInterface } from "node:readline";

const ROOT = new URL("../", import.meta.url).pathname;
/** The head of a readable log line (services/logger.ts): `12:04:05.123 INFO  [name]`. */
const LOG_LINE = /^\d\d:\d\d:\d\d\.\d{3} [A-Z]+ +\[/;

/**
 * Starts `script` (workers/<name>.ts by default, services/api/main.ts for further API processes) as a child process with this process's environment plus
 * `env`, its output prefixed with `label`. A child that dies is reported, not restarted: in production a
 * supervisor (systemd, Kubernetes, compose `restart:`) owns restarts; here a dead worker should be seen.
 */
export function startWorker(
  name: string,
  onExit: (name: string, code: number | null, signal: string | null) => void,
  { label = name, env = {}, script = `workers/${name}.ts` }: { label?: string; env?: Record<string, string>; script?: string } = {},
): ChildProcess {
  const child = spawn(process.execPath, ["--import", "tsx", script], {
    cwd: ROOT,
    stdio: ["ignore", "pipe", "pipe"],
    env: { ...process.env, ...env },
  });
  for (const stream of [child.stdout!, child.stderr!]) {
    // A logger line names its process already (LOG_NAME); anything else (a crash's stack) gets the label.
    createInterface({ input: stream }).on("line", (line) => console.log(LOG_LINE.test(line) ? line : `[${label}] ${line}`));
  }
  child.on("exit", (code, signal) => onExit(label, code, signal));
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
