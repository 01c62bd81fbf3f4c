import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type AnvilNode, startAnvil, stopAnvil } from "../../../harness/lib/anvil.js";
import { freePort } from "../../../harness/lib/isolated-run.js";
import { eventually } from "../../support/earn-fixtures.js";
import { anonymous, paymentScene, signPayment, startTestPaymentWorker } from "../../support/payment-fixtures.js";
import { startStack, type Stack } from "../../support/stack.js";

/**
 * On a chain whose blocks come every few seconds, a payment worker that holds only one batch's worth of jobs
 * (concurrency = PAYMENT_BATCH_MAX) relays one batch per block: the next batch cannot gather until the last
 * one is mined. Here the node stops mining once the scene is set, and two full batches must both be sent.
 */
let node: AnvilNode;
let folder: string;
let stack: Stack;
let worker: Awaited<ReturnType<typeof startTestPaymentWorker>> | undefined;
beforeAll(async () => {
  folder = await mkdtemp(join(tmpdir(), "recircle-anvil-pipeline-"));
  node = await startAnvil({ port: await freePort(), stateDir: folder });
  stack = await startStack({ chainUrl: node.url, env: { PAYMENT_BATCH_MAX: "2", PAYMENT_BATCH_MS: "100" } });
}, 120_000);
afterAll(async () => {
  await worker?.close();
  await stack?.close();
  if (node) await stopAnvil(node);
  if (folder) await rm(folder, { recursive: true, force: true });
}, 60_000);

describe("the payment worker on a chain with block times", () => {
  it("sends the next full batch while the last one waits for its block", async () => {
    const scene = await paymentScene(stack); // 10 tokens, confirmed
    worker = await startTestPaymentWorker(stack);
    await stack.chain.provider.send("evm_setIntervalMining", [0]);
    const ids: number[] = [];
    for (let i = 0; i < 4; i++) {
      const { body } = await signPayment(stack, scene.collector, scene.program, scene.retailerWallet.address, "1", { nonces: scene.nonces });
      const accepted = await anonymous(stack).post("/v1/payments", body);
      expect(accepted.status, JSON.stringify(accepted.body)).toBe(202);
      ids.push(accepted.body.id);
    }
    const rows = () => stack.sql<{ status: string; txHash: string | null }[]>`
      select status, tx_hash as "txHash" from payments where id = any(${ids}::bigint[])`;
    const submitted = await eventually(rows, (r) => r.every((row) => row.status === "submitted"), 15_000);
    expect(new Set(submitted.map((row) => row.txHash)).size).toBe(2);

    await stack.chain.provider.send("evm_mine", []);
    const confirmed = await eventually(rows, (r) => r.every((row) => row.status === "confirmed"), 30_000);
    expect(confirmed).toHaveLength(4);
    expect(await stack.chain.token(scene.program.token).balanceOf(scene.retailerWallet.address)).toBe(4n * 10n ** 18n);
  }, 120_000);
});
