import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from "vitest";
import { type AnvilNode, startAnvil, stopAnvil } from "../../../harness/lib/anvil.js";
import { freePort } from "../../../harness/lib/isolated-run.js";
import { eventually } from "../../support/earn-fixtures.js";
import { anonymous, paymentScene, signPayment, startTestPaymentWorker } from "../../support/payment-fixtures.js";
import { anotherRetailer, fundProgram, redemptionScene, redemptionWorkerForThisTest, signRedemption } from "../../support/redemption-fixtures.js";
import { startStack, type Stack } from "../../support/stack.js";

/**
 * On a chain whose blocks come every few seconds, a worker that holds only one batch's worth of jobs
 * (concurrency = the batch size) relays one batch per block: the next batch cannot gather until the last one
 * is mined. Here the node stops mining once a scene is set, and two full batches must both be sent.
 */
let node: AnvilNode;
let folder: string;
let stack: Stack;
let worker: Awaited<ReturnType<typeof startTestPaymentWorker>> | undefined;
beforeAll(async () => {
  folder = await mkdtemp(join(tmpdir(), "recircle-anvil-pipeline-"));
  node = await startAnvil({ port: await freePort(), stateDir: folder });
  const env = { PAYMENT_BATCH_MAX: "2", PAYMENT_BATCH_MS: "100", REDEMPTION_BATCH_MAX: "2", REDEMPTION_BATCH_MS: "100" };
  stack = await startStack({ chainUrl: node.url, env });
  worker = await startTestPaymentWorker(stack);
}, 120_000);
afterAll(async () => {
  await worker?.close();
  await stack?.close();
  if (node) await stopAnvil(node);
  if (folder) await rm(folder, { recursive: true, force: true });
}, 60_000);

/** Stops the node's mining for the rest of the test; it mines every 2 s again afterwards. */
async function holdBlocks() {
  await stack.chain.provider.send("evm_setIntervalMining", [0]);
  onTestFinished(() => stack.chain.provider.send("evm_setIntervalMining", [2]));
}

/**
 * Every row was sent while no block was mined: the worker did not wait for one batch's receipt before sending the
 * next. How the rows split into batches of at most two depends on when each request's job arrived within the
 * gathering window (on a loaded machine, one may come late and go alone): at least two transactions, none over two.
 */
function expectPipelined(submitted: { txHash: string | null }[]) {
  const perTransaction = new Map<string | null, number>();
  for (const { txHash } of submitted) perTransaction.set(txHash, (perTransaction.get(txHash) ?? 0) + 1);
  expect(perTransaction.has(null)).toBe(false);
  expect(perTransaction.size).toBeGreaterThanOrEqual(2);
  expect(Math.max(...perTransaction.values())).toBeLessThanOrEqual(2);
}

/** Waits until the node holds every transaction the rows name. */
async function inThePool(submitted: { txHash: string | null }[]) {
  const hashes = [...new Set(submitted.map((row) => row.txHash!))];
  await eventually(() => Promise.all(hashes.map((hash) => stack.chain.provider.getTransaction(hash))), (txs) => txs.every((tx) => tx !== null), 15_000);
}

describe("the payment and redemption workers on a chain with block times", () => {
  it("a payment worker sends the next full batch while the last one waits for its block", async () => {
    const scene = await paymentScene(stack); // 10 tokens, confirmed
    await holdBlocks();
    // Signed first, then sent together: two full batches arrive within one gathering window.
    const signed = [];
    for (let i = 0; i < 4; i++) {
      signed.push((await signPayment(stack, scene.collector, scene.program, scene.retailerWallet.address, "1", { nonces: scene.nonces })).body);
    }
    const ids: number[] = [];
    for (const accepted of await Promise.all(signed.map((body) => anonymous(stack).post("/v1/payments", body)))) {
      expect(accepted.status, JSON.stringify(accepted.body)).toBe(202);
      ids.push(accepted.body.id);
    }
    const rows = () => stack.sql<{ status: string; txHash: string | null }[]>`
      select status, tx_hash as "txHash" from payments where id = any(${ids}::bigint[])`;
    const submitted = await eventually(rows, (r) => r.every((row) => row.status === "submitted"), 15_000);
    expectPipelined(submitted);
    // A row is `submitted` just before its transaction leaves: mine only once the node holds them all.
    await inThePool(submitted);

    await stack.chain.provider.send("evm_mine", []);
    await eventually(rows, (r) => r.every((row) => row.status === "included"), 30_000);
    // One more block stands on theirs: confirmed (CHAIN_CONFIRMATIONS=1).
    await stack.chain.provider.send("evm_mine", []);
    const confirmed = await eventually(rows, (r) => r.every((row) => row.status === "confirmed"), 30_000);
    expect(confirmed).toHaveLength(4);
    expect(await stack.chain.token(scene.program.token).balanceOf(scene.retailerWallet.address)).toBe(4n * 10n ** 18n);
  }, 120_000);

  it("a redemption worker sends the next full batch while the last one waits for its block", async () => {
    const scene = await redemptionScene(stack, { kg: 60, amount: "30" }); // 150 tokens, 30 paid to the scene's shop
    const shops = [{ api: scene.retailer.api, wallet: scene.retailerWallet }];
    for (let i = 0; i < 3; i++) shops.push(await anotherRetailer(stack, scene, "30"));
    await fundProgram(stack, scene.program.token, ["5"]);
    await redemptionWorkerForThisTest(stack);
    await holdBlocks();
    const signed: Awaited<ReturnType<typeof signRedemption>>[] = [];
    for (const shop of shops) signed.push(await signRedemption(stack, shop.wallet, scene.program, "30"));
    const ids: number[] = [];
    for (const accepted of await Promise.all(shops.map((shop, i) => shop.api.post("/v1/redemptions", signed[i])))) {
      expect(accepted.status, JSON.stringify(accepted.body)).toBe(202);
      ids.push(accepted.body.id);
    }
    const rows = () => stack.sql<{ status: string; txHash: string | null }[]>`
      select status, tx_hash as "txHash" from redemptions where id = any(${ids}::bigint[])`;
    const submitted = await eventually(rows, (r) => r.every((row) => row.status === "submitted"), 15_000);
    expectPipelined(submitted);
    // A row is `submitted` just before its transaction leaves: mine only once the node holds them all.
    await inThePool(submitted);

    await stack.chain.provider.send("evm_mine", []);
    await eventually(rows, (r) => r.every((row) => row.status === "included"), 30_000);
    // One more block stands on theirs: confirmed (CHAIN_CONFIRMATIONS=1).
    await stack.chain.provider.send("evm_mine", []);
    const confirmed = await eventually(rows, (r) => r.every((row) => row.status === "confirmed"), 30_000);
    expect(confirmed).toHaveLength(4);
  }, 180_000);
});
