import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { toBeHex } from "ethers";
import { type AnvilNode, startAnvil, stopAnvil } from "../../../harness/lib/anvil.js";
import { freePort } from "../../../harness/lib/isolated-run.js";
import { eventually, idempotencyKey, recyclingScene } from "../../support/earn-fixtures.js";
import { startStack, type Stack } from "../../support/stack.js";

/**
 * On Anvil, a reorganisation (`anvil_reorg`) takes the transactions of the replaced blocks out of the chain
 * and out of the pool, and the operator's nonce goes back with them. The credits come back and are minted
 * again, once, without waiting for the sender's replace period behind a nonce gap.
 */
let node: AnvilNode;
let folder: string;
let stack: Stack;
beforeAll(async () => {
  folder = await mkdtemp(join(tmpdir(), "recircle-anvil-reorg-"));
  node = await startAnvil({ port: await freePort(), stateDir: folder });
  // The configuration a user gets: default confirmations and replace period (30 s).
  stack = await startStack({ chainUrl: node.url, userDefaults: true });
}, 120_000);
afterAll(async () => {
  await stack?.close();
  if (node) await stopAnvil(node);
  if (folder) await rm(folder, { recursive: true, force: true });
}, 60_000);

const status = async (id: number) =>
  (await stack.sql<{ status: string; blockNumber: string | null }[]>`
    select status, block_number::text as "blockNumber" from events where id = ${id}`)[0]!;

describe("a reorganisation on Anvil", () => {
  it("takes the operator's mint away, and the credit is minted again, once, within a few blocks", async () => {
    const scene = await recyclingScene(stack);
    const body = { programId: scene.program.id, collector: scene.collector.address, material: "PET", grams: 2_000 };
    const accepted = await scene.point.api.post("/v1/collections", body, idempotencyKey());
    expect(accepted.status).toBe(202);
    const id = accepted.body.id as number;
    const first = await eventually(() => status(id), (row) => row.status === "included", 30_000);
    const depth = (await stack.chain.provider.getBlockNumber()) - Number(first.blockNumber) + 1;
    await stack.chain.provider.send("anvil_reorg", [depth, []]);

    // Well within the sender's 30 s replace period: the next mint is not stuck behind the lost nonce.
    const started = Date.now();
    await eventually(() => status(id), (row) => row.status === "confirmed" && row.blockNumber !== first.blockNumber, 20_000);
    expect(Date.now() - started).toBeLessThan(20_000);
    const token = stack.chain.token(scene.program.token);
    const logs = await stack.chain.provider.getLogs({
      address: scene.program.token,
      fromBlock: 0,
      topics: [token.interface.getEvent("Credited").topicHash, toBeHex(id, 32)],
    });
    expect(logs).toHaveLength(1);
  }, 120_000);
});
