import { execFile } from "node:child_process";
import { readFile } from "node:fs/promises";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { client } from "../support/client.js";
import { eventually } from "../support/earn-fixtures.js";
import { startStack, type Stack } from "../support/stack.js";

const README = new URL("../../README.md", import.meta.url).pathname;
const SECTION = "## Earning, step by step (curl)";

let stack: Stack;
let url: string;
beforeAll(async () => {
  stack = await startStack({ env: { PAYMENT_BATCH_MS: "20" } });
  url = await stack.app.listen({ host: "127.0.0.1", port: 0 });
});
afterAll(async () => {
  await stack?.close();
});

/** The ```sh blocks of one README section, as a reader would copy them. */
function shellBlocks(markdown: string, heading: string): string {
  const start = markdown.indexOf(`${heading}\n`);
  if (start < 0) throw new Error(`README.md has no section "${heading}"`);
  const next = markdown.indexOf("\n## ", start + heading.length);
  const section = markdown.slice(start, next < 0 ? undefined : next);
  return [...section.matchAll(/```sh\n([\s\S]*?)```/g)].map((m) => m[1]).join("\n");
}

/** Runs the section's commands with bash, `set -e`, the stack's URL and admin key in API and KEY. */
async function runWalkthrough(script: string) {
  const { stdout } = await promisify(execFile)("bash", ["-e", "-c", script], {
    env: { ...process.env, API: url, KEY: stack.adminKey },
    timeout: 60_000,
  });
  return stdout.trim().split("\n");
}

describe("the README's curl walkthrough", () => {
  it("reads the ids from the answers, so its drop-off is accepted and confirmed on a network that already has programs and members", async () => {
    // Another program and member first, as `npm run seed` makes: hard-coded ids 1 and 2 would point at them.
    const admin = client(stack.app, stack.adminKey);
    const seeded = await admin.post("/v1/programs", { name: "Seed", symbol: "SEED", kind: "recycling", redemptionRate: "0.01", rates: { PET: "1" } });
    expect(seeded.status, JSON.stringify(seeded.body)).toBe(201);
    expect((await admin.post("/v1/members", { kind: "collection_point", name: "Seed point" })).status).toBe(201);

    const script = shellBlocks(await readFile(README, "utf8"), SECTION);
    expect(script).toContain("jq");
    const lines = await runWalkthrough(script);
    // The last answer is the drop-off read back; it was accepted (202 pending) or is confirmed already.
    const dropOff = JSON.parse(lines.at(-1)!);
    expect(dropOff).toMatchObject({ tokens: "3.75", material: "PET", grams: 1500 });
    expect(dropOff.programId).not.toBe(seeded.body.id);
    expect(["pending", "included", "confirmed"]).toContain(dropOff.status);
    const confirmed = await eventually(() => admin.get(`/v1/collections/${dropOff.id}`), (r) => r.body.status === "confirmed");
    expect(confirmed.body).toMatchObject({ id: dropOff.id, beneficiary: "0x90F79bf6EB2c4f870365E785982E1f101E93b906", txHash: expect.stringMatching(/^0x/) });
  }, 90_000);
});
