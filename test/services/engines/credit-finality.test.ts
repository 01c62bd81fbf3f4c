import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { toBeHex } from "ethers";
import { DEV_BLOCK_INTERVAL_MS } from "../../../scripts/local-chain.js";
import { eventually, idempotencyKey, recyclingScene } from "../../support/earn-fixtures.js";
import { startStack, type Stack } from "../../support/stack.js";

let stack: Stack;
let scene: Awaited<ReturnType<typeof recyclingScene>>;
beforeAll(async () => {
  // The defaults a user gets: CHAIN_CONFIRMATIONS=1.
  stack = await startStack();
  expect(stack.config.chainConfirmations).toBe(1);
  scene = await recyclingScene(stack);
});
afterAll(async () => {
  await stack?.chain.provider.send("evm_setIntervalMining", [DEV_BLOCK_INTERVAL_MS]);
  await stack?.close();
});
// Blocks come only when a test makes them: the node mines each transaction, and nothing else.
beforeEach(async () => {
  await stack.chain.provider.send("evm_setIntervalMining", [0]);
});

const send = (method: string, params: unknown[] = []) => stack.chain.provider.send(method, params);
const status = async (id: number) =>
  (await stack.sql<{ status: string; txHash: string | null; blockNumber: string | null; blockHash: string | null }[]>`
    select status, tx_hash as "txHash", block_number::text as "blockNumber", block_hash as "blockHash" from events where id = ${id}`)[0]!;

async function dropOff(grams: number): Promise<number> {
  const body = { programId: scene.program.id, collector: scene.collector.address, material: "PET", grams };
  const reply = await scene.point.api.post("/v1/collections", body, idempotencyKey());
  expect(reply.status).toBe(202);
  return reply.body.id as number;
}

/** The Credited logs the chain holds now for an event id: exactly one for a credit made once. */
async function creditedLogs(eventId: number) {
  const token = stack.chain.token(scene.program.token);
  return stack.chain.provider.getLogs({
    address: scene.program.token,
    fromBlock: 0,
    topics: [token.interface.getEvent("Credited").topicHash, toBeHex(eventId, 32)],
  });
}

/** A wait that, failing, also says where the operator's nonces stood (a reorganisation rewinds them). */
async function withNonces<T>(wait: Promise<T>): Promise<T> {
  try {
    return await wait;
  } catch (error) {
    const operator = stack.chain.writer.address;
    const [latest, pending] = await Promise.all([
      stack.chain.provider.getTransactionCount(operator, "latest"),
      stack.chain.provider.getTransactionCount(operator, "pending"),
    ]);
    throw new Error(`${(error as Error).message}; operator nonces: latest ${latest}, pending ${pending}`);
  }
}

describe("a credit's finality", () => {
  it("is included in its block first, and confirmed only once a block stands on it", async () => {
    const id = await dropOff(1_000);
    const included = await eventually(() => status(id), (row) => row.status === "included");
    const receipt = await stack.chain.provider.getTransactionReceipt(included.txHash!);
    expect(included.blockNumber).toBe(String(receipt!.blockNumber));
    expect(included.blockHash).toBe(receipt!.blockHash);
    // No block comes: the credit stays included however long the watcher looks.
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    expect((await status(id)).status).toBe("included");
    // The API and the collection's page say so.
    expect((await scene.point.api.get(`/v1/collections/${id}`)).body.status).toBe("included");

    await send("evm_mine");
    await eventually(() => status(id), (row) => row.status === "confirmed", 10_000);
  });

  it("goes back and is minted again, once, when a reorganisation takes its block away before it is confirmed", async () => {
    const snapshot = await send("evm_snapshot");
    const id = await dropOff(1_200);
    const first = await eventually(() => status(id), (row) => row.status === "included");
    // The block with the credit is replaced by another at the same height: a one-block reorganisation.
    await send("evm_revert", [snapshot]);
    await send("evm_mine");
    expect(await creditedLogs(id)).toHaveLength(0);

    // Minted again in a block of the new chain. At the same nonce and fees the batch may be the very same
    // transaction (the sender prices from the fee history, which the reorganisation restored): same hash, new block.
    const settled = await withNonces(eventually(() => status(id), (row) => row.status === "included" && row.blockHash !== first.blockHash, 20_000));
    await send("evm_mine");
    await eventually(() => status(id), (row) => row.status === "confirmed", 10_000);
    const logs = await creditedLogs(id);
    expect(logs).toHaveLength(1);
    expect(logs[0]!.transactionHash).toBe(settled.txHash);
  });

  it("is taken back from confirmed by a reorganisation deeper than the confirmations, and credited once", async () => {
    const snapshot = await send("evm_snapshot");
    const id = await dropOff(1_400);
    await eventually(() => status(id), (row) => row.status === "included");
    await send("evm_mine");
    await send("evm_mine");
    const confirmed = await eventually(() => status(id), (row) => row.status === "confirmed", 10_000);
    // Three blocks replaced: the credit's, and the two that confirmed it.
    await send("evm_revert", [snapshot]);
    for (let i = 0; i < 3; i++) await send("evm_mine");

    await eventually(() => status(id), (row) => row.status !== "confirmed" || row.blockHash !== confirmed.blockHash, 10_000);
    await eventually(() => status(id), (row) => row.status === "included", 20_000);
    await send("evm_mine");
    const final = await eventually(() => status(id), (row) => row.status === "confirmed", 10_000);
    expect(final.blockHash).not.toBe(confirmed.blockHash);
    expect(await creditedLogs(id)).toHaveLength(1);
    const balance = await stack.chain.token(scene.program.token).balanceOf(scene.collector.address);
    expect(balance).toBeGreaterThan(0n);
  });
});
