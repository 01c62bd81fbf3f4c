import { execFile } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { pollUntil } from "../../harness/lib/time.js";

const ROOT = new URL("../../", import.meta.url).pathname;
const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

describe("an Anvil node started by a process that then exits", () => {
  it("goes with it rather than staying on its port (a test worker that dies mid-setup)", async () => {
    const folder = await mkdtemp(join(tmpdir(), "recircle-anvil-reap-"));
    let pid = 0;
    try {
      const script = `
        import { startAnvil } from "./harness/lib/anvil.ts";
        import { freePort } from "./harness/lib/isolated-run.ts";
        const node = await startAnvil({ port: await freePort(), stateDir: ${JSON.stringify(folder)} });
        console.log(node.process.pid);
        process.exit(1);`;
      const run = promisify(execFile)(process.execPath, ["--import", "tsx", "--input-type=module", "-e", script], { cwd: ROOT });
      const failed = (await run.then(() => undefined, (error: { stdout: string }) => error))!;
      pid = Number(failed.stdout.trim());
      expect(pid).toBeGreaterThan(0);
      await pollUntil(async () => alive(pid), (up) => !up, { timeoutMs: 5_000, message: () => `anvil ${pid} still runs` });
    } finally {
      // Failing, the test still leaves no node behind.
      if (pid > 0 && alive(pid)) process.kill(pid, "SIGKILL");
      await rm(folder, { recursive: true, force: true });
    }
  });
});
