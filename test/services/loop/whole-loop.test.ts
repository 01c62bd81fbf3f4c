import { parseUnits, Wallet } from "ethers";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEV_WORKER_KEYS } from "../../../services/chain/network.js";
import { client } from "../../support/client.js";
import { admit, eventually, idempotencyKey, recyclingScene } from "../../support/earn-fixtures.js";
import { anonymous, asAdmin, signPayment } from "../../support/payment-fixtures.js";
import { fundProgram, governance, signRedemption, stablecoin, tusd } from "../../support/redemption-fixtures.js";
import { startStack, type Stack } from "../../support/stack.js";
import { exited, spawnWorker } from "../../support/worker-process.js";

let stack: Stack;
let workers: ReturnType<typeof spawnWorker>[] = [];
beforeAll(async () => {
  stack = await startStack();
  workers = [
    spawnWorker(stack, "payments", { PAYMENT_WORKER_PRIVATE_KEY: DEV_WORKER_KEYS[0], PAYMENT_BATCH_MS: "50" }),
    spawnWorker(stack, "redemptions", { REDEMPTION_WORKER_PRIVATE_KEY: DEV_WORKER_KEYS[1] }),
    spawnWorker(stack, "indexer", { CHAIN_CONFIRMATIONS: "0" }),
  ];
});
afterAll(async () => {
  for (const worker of workers) worker.kill("SIGTERM");
  await Promise.all(workers.map(exited));
  await stack?.close();
});

describe("the whole loop, over HTTP and chain, with the worker processes running", () => {
  it("earn → pay from a phone wallet → redeem → the sponsor's stablecoin reaches the retailer less the fee → all indexed", async () => {
    const { program, point, collector } = await recyclingScene(stack);
    const token = stack.chain.token(program.token);

    // A sponsor backs the program: 10 tUSD at 0.01 tUSD per token.
    const [sponsor] = await fundProgram(stack, program.token, ["10"]);

    // Earn: 40 kg of PET is 100 tokens.
    const dropOff = await point.api.post(
      "/v1/collections",
      { programId: program.id, collector: collector.address, material: "PET", grams: 40_000 },
      idempotencyKey(),
    );
    await eventually(() => point.api.get(`/v1/collections/${dropOff.body.id}`), (r) => r.body.status === "confirmed");
    expect(await token.balanceOf(collector.address)).toBe(parseUnits("100", 18));

    // Pay: the collector's phone signs 60 tokens to a retailer; the payment worker settles it.
    const shop = Wallet.createRandom();
    const retailer = await admit(stack, "retailer", "Warung Sari", shop.address);
    expect((await client(stack.app, stack.adminKey).post(`/v1/programs/${program.id}/members`, { memberId: retailer.id })).status).toBe(201);
    const { body } = await signPayment(stack, collector, program, shop.address, "60");
    const payment = await anonymous(stack).post("/v1/payments", body);
    expect(payment.status, JSON.stringify(payment.body)).toBe(202);
    const paid = await eventually(() => asAdmin(stack).get(`/v1/payments/${payment.body.id}`), (r) => r.body.status === "confirmed");
    expect(await token.balanceOf(shop.address)).toBe(parseUnits("60", 18));

    // Redeem: the retailer's permit, relayed by the redemption worker: 60 tokens are 0.6 tUSD, less 0.5%.
    const redemption = await retailer.api.post("/v1/redemptions", await signRedemption(stack, shop, program, "60"));
    expect(redemption.status, JSON.stringify(redemption.body)).toBe(202);
    const redeemed = await eventually(
      () => retailer.api.get(`/v1/redemptions/${redemption.body.id}`),
      (r) => r.body.status === "confirmed" || r.body.status === "failed",
    );
    expect(redeemed.body.status).toBe("confirmed");
    expect(await token.balanceOf(shop.address)).toBe(0n);
    expect(await stablecoin(stack).balanceOf(shop.address)).toBe(tusd("0.597"));
    expect(await stablecoin(stack).balanceOf(governance(stack).address)).toBeGreaterThanOrEqual(tusd("0.003"));

    // The indexer has every event of the loop, read back from the chain.
    const events = async () =>
      stack.sql<{ name: string; txHash: string }[]>`select name, tx_hash as "txHash" from chain_events`;
    const indexed = await eventually(events, (rows) => rows.some((row) => row.txHash === redeemed.body.txHash && row.name === "Redeemed"));
    const names = (hash: string) => indexed.filter((row) => row.txHash === hash).map((row) => row.name).sort();
    expect(names(program.createdTx)).toEqual(expect.arrayContaining(["ProgramCreated", "ProgramRegistered"]));
    expect(names((await point.api.get(`/v1/collections/${dropOff.body.id}`)).body.txHash)).toEqual(["Credited", "Transfer"]);
    expect(names(paid.body.txHash)).toEqual(["AuthorizationUsed", "Transfer"]);
    expect(names(redeemed.body.txHash)).toEqual(expect.arrayContaining(["Approval", "DepositDrawn", "Redeemed", "Transfer"]));
    const [deposited] = await stack.sql<{ args: { sponsor: string } }[]>`select args from chain_events where name = 'Deposited'`;
    expect(deposited!.args.sponsor).toBe(sponsor);
  });
});
