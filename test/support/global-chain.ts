import type { ChildProcess } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { TestProject } from "vitest/node";
import { freePort } from "../../harness/lib/isolated-run.js";
import { startHardhatNode } from "../../scripts/local-chain.js";

declare module "vitest" {
  export interface ProvidedContext {
    chainUrl: string;
  }
}

let node: ChildProcess | undefined;
let logDir: string | undefined;

/** One real Hardhat node (a separate process, over JSON-RPC) for the whole integration run. */
export default async function setup(project: TestProject) {
  logDir = await mkdtemp(join(tmpdir(), "recircle-chain-"));
  // A free loopback port, so a developer's own node on 8545 is never touched.
  const port = await freePort();
  node = await startHardhatNode(port, logDir);
  project.provide("chainUrl", `http://127.0.0.1:${port}`);
  return async () => {
    node?.kill("SIGTERM");
    if (logDir) await rm(logDir, { recursive: true, force: true });
  };
}
