import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readCheckpoint } from "../../../services/db/chain-events.js";
import { ChainIndexer } from "../../../services/engines/indexer.js";
import { sessionOf } from "../../support/collector-session.js";
import { eventually } from "../../support/earn-fixtures.js";
import { paymentScene, startTestPaymentWorker } from "../../support/payment-fixtures.js";
import { fundProgram, payRetailer, redemptionWorkerForThisTest, settled, signRedemption } from "../../support/redemption-fixtures.js";
import { startStack, type Stack } from "../../support/stack.js";

/**
 * The indexer runs CHAIN_CONFIRMATIONS behind the head (and no indexer runs in this file until the end): a
 * credit or payment confirmed from its receipt is on chain before the index has it. The balances a collector
 * and a shop read must include it, never "no tokens" under a confirmed credit.
 */
let stack: Stack;
let worker: Awaited<ReturnType<typeof startTestPaymentWorker>>;
beforeAll(async () => {
  stack = await startStack({ env: { PAYMENT_BATCH_MS: "50" } });
  worker = await startTestPaymentWorker(stack);
});
afterAll(async () => {
  await worker?.close();
  await stack?.close();
});

const balanceOf = (body: { balances: { programId: number; balance: string }[] }, programId: number) =>
  body.balances.find((b) => b.programId === programId)?.balance;

describe("balances include what is on chain but not yet indexed", () => {
  it("a collector's confirmed credit and payment, the shop's payment received and its redemption, before the indexer reaches them", async () => {
    const scene = await paymentScene(stack); // 10 tokens credited, confirmed from the receipt
    expect(await readCheckpoint(stack.sql)).toBeUndefined();
    const collector = await sessionOf(stack, scene.collector);
    const ledger = await collector.get(`/v1/collectors/${scene.collector.address}`);
    expect(ledger.status, JSON.stringify(ledger.body)).toBe(200);
    const [credit] = ledger.body.history;
    expect(credit).toMatchObject({ status: "confirmed", amount: "10" });
    expect(balanceOf(ledger.body, scene.program.id)).toBe("10");
    expect(ledger.body).toMatchObject({ indexedBlock: null, updating: false });
    expect(ledger.body.balancesBlock).toBeGreaterThanOrEqual(credit.blockNumber);
    expect(ledger.body.balances[0]).toMatchObject({ name: "Ocean Plastic", symbol: "OCP", token: scene.program.token });

    await payRetailer(stack, scene, scene.retailerWallet.address, "2.5");
    const paid = await collector.get(`/v1/collectors/${scene.collector.address}`);
    expect(balanceOf(paid.body, scene.program.id)).toBe("7.5");
    const shop = await scene.retailer.api.get("/v1/retailers/me");
    expect(shop.status, JSON.stringify(shop.body)).toBe(200);
    expect(shop.body.payments[0]).toMatchObject({ status: "confirmed", value: "2.5" });
    expect(balanceOf(shop.body, scene.program.id)).toBe("2.5");
    expect(shop.body.updating).toBe(false);

    // The shop redeems 1 of its 2.5 tokens: its balance drops as soon as the burn is confirmed.
    await fundProgram(stack, scene.program.token, ["1"]);
    await redemptionWorkerForThisTest(stack);
    const redemption = await scene.retailer.api.post("/v1/redemptions", await signRedemption(stack, scene.retailerWallet, scene.program, "1"));
    expect(redemption.status, JSON.stringify(redemption.body)).toBe(202);
    expect((await settled(scene.retailer.api, redemption.body.id)).body.status).toBe("confirmed");
    expect(balanceOf((await scene.retailer.api.get("/v1/retailers/me")).body, scene.program.id)).toBe("1.5");

    // Indexed: the same balances, now read from the index at its checkpoint.
    const indexer = new ChainIndexer(stack.sql, stack.chain, { confirmations: 0 });
    const head = await stack.chain.provider.getBlockNumber();
    await eventually(() => indexer.runOnce(), (run) => run.toBlock === undefined || run.toBlock >= head);
    const indexed = await collector.get(`/v1/collectors/${scene.collector.address}`);
    expect(balanceOf(indexed.body, scene.program.id)).toBe("7.5");
    expect(indexed.body.balancesBlock).toBe(indexed.body.indexedBlock);
    expect(balanceOf((await scene.retailer.api.get("/v1/retailers/me")).body, scene.program.id)).toBe("1.5");
  });
});
