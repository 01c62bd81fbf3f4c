import { type ChildProcess, spawn } from "node:child_process";
import { createWriteStream, type WriteStream } from "node:fs";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { pollUntil } from "../lib/time.js";

const ROOT = new URL("../../", import.meta.url).pathname;

/**
 * One process under test (the API or a worker) that the chaos kills with SIGKILL and starts again, as a
 * supervisor would. Its output goes to <stateDir>/<label>.log, every incarnation appended.
 */
export class ChaosProcess {
  private child: ChildProcess | undefined;
  private readonly log: WriteStream;
  /** Resolved by the first output line matching `ready` of the current incarnation. */
  private ready: Promise<void> = Promise.resolve();
  starts = 0;
  kills = 0;
  /** Exits nobody asked for (neither our SIGKILL nor the final stop). */
  unexpectedExits: string[] = [];
  /** Incarnations whose exit we caused (SIGKILL or an orderly stop). */
  private readonly ended = new WeakSet<ChildProcess>();

  constructor(
    readonly label: string,
    private readonly script: string,
    private readonly env: Record<string, string>,
    /** The output line that says it is up, or a probe that answers true once it is. */
    private readonly readiness: RegExp | (() => Promise<boolean>),
    stateDir: string,
  ) {
    this.log = createWriteStream(join(stateDir, `${label}.log`), { flags: "a" });
  }

  get pid(): number | undefined {
    return this.child?.pid;
  }

  get running(): boolean {
    return this.child !== undefined && this.child.exitCode === null && this.child.signalCode === null;
  }

  /** Starts a new incarnation and waits (up to `timeoutMs`) for its ready line or its readiness probe. */
  async start(timeoutMs = 60_000): Promise<void> {
    if (this.running) throw new Error(`${this.label} is already running`);
    this.starts++;
    const child = spawn(process.execPath, ["--import", "tsx", this.script], {
      cwd: ROOT,
      stdio: ["ignore", "pipe", "pipe"],
      env: { PATH: process.env.PATH ?? "", ...this.env },
    });
    this.child = child;
    child.once("exit", (code, signal) => {
      this.log.write(`--- exited (${signal ?? code})\n`);
      if (!this.ended.has(child)) this.unexpectedExits.push(`${this.label} exited by itself (${signal ?? code})`);
    });
    let resolveReady = () => {};
    this.ready = new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`${this.label} did not start within ${timeoutMs} ms`)), timeoutMs);
      resolveReady = () => (clearTimeout(timer), resolve());
      child.once("exit", (code, signal) => {
        clearTimeout(timer);
        reject(new Error(`${this.label} exited (${signal ?? code}) before it was ready; see its log`));
      });
      for (const stream of [child.stdout!, child.stderr!]) {
        createInterface({ input: stream }).on("line", (line) => {
          this.log.write(`${line}\n`);
          if (this.readiness instanceof RegExp && this.readiness.test(line)) resolveReady();
        });
      }
    });
    const probe = this.readiness;
    if (typeof probe === "function") {
      const up = async () => {
        if (child.exitCode !== null || child.signalCode !== null) return true; // the ready promise reports the exit
        return probe();
      };
      pollUntil(up, (ok) => ok, { timeoutMs, intervalMs: 100 }).then(() => resolveReady(), () => undefined);
    }
    await this.ready;
  }

  /** SIGKILL: no shutdown hook runs, whatever it was doing is cut off. Resolves once it is gone. */
  async kill9(): Promise<void> {
    const child = this.child;
    if (!child || !this.running) return;
    this.ended.add(child);
    this.kills++;
    await new Promise<void>((resolve) => {
      child.once("exit", () => resolve());
      child.kill("SIGKILL");
    });
  }

  /** An orderly stop (SIGTERM, SIGKILL after `timeoutMs`): a restart as a deploy does it, and the end of the run. */
  async stop(timeoutMs = 10_000): Promise<void> {
    const child = this.child;
    if (!child || !this.running) return;
    this.ended.add(child);
    await new Promise<void>((resolve) => {
      const timer = setTimeout(() => child.kill("SIGKILL"), timeoutMs);
      child.once("exit", () => {
        clearTimeout(timer);
        resolve();
      });
      child.kill("SIGTERM");
    });
  }

  close(): void {
    if (this.running) this.child!.kill("SIGKILL");
    this.log.end();
  }
}
