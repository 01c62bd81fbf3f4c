import { parseUnits, Signature, toBeHex, Wallet } from "ethers";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eventually } from "../../support/earn-fixtures.js";
import { anonymous, asAdmin, paymentScene, signPayment, startTestPaymentWorker } from "../../support/payment-fixtures.js";
import { startStack, type Stack } from "../../support/stack.js";

/**
 * An authorization is a bearer instrument: anyone holding it may relay it (the shop that read the voucher, an old
 * transaction of ours sent again after a reorganisation). The token checks the clock before it checks whether
 * the nonce was used, so a relay after expiry reports "expired" for an authorization another transaction used.
 */
let stack: Stack;
let worker: Awaited<ReturnType<typeof startTestPaymentWorker>>;
beforeAll(async () => {
  stack = await startStack();
  worker = await startTestPaymentWorker(stack);
});
afterAll(async () => {
  await worker?.close();
  await stack?.close();
});

describe("a payment whose authorization another transaction used", () => {
  it("is settled by that transaction, not failed for the clock, when our relay comes after its expiry", async () => {
    const scene = await paymentScene(stack);
    await worker.close();
    const chainNow = (await stack.chain.provider.getBlock("latest"))!.timestamp;
    const { body, authorization, signature } = await signPayment(stack, scene.collector, scene.program, scene.retailerWallet.address, "2", {
      nonces: scene.nonces,
      validBefore: chainNow + 60,
    });
    const accepted = await anonymous(stack).post("/v1/payments", body);
    expect(accepted.status, JSON.stringify(accepted.body)).toBe(202);

    // Someone else relays the same authorization first, then the clock passes its end.
    const relayer = Wallet.createRandom().connect(stack.chain.provider);
    await stack.chain.provider.send("hardhat_setBalance", [relayer.address, toBeHex(parseUnits("1", 18))]);
    const { v, r, s } = Signature.from(signature);
    const token = stack.chain.token(scene.program.token).connect(relayer);
    const theirs = await (await token.transferWithAuthorizationBatch([{ ...authorization, v, r, s }])).wait();
    await stack.chain.provider.send("evm_increaseTime", [120]);
    await stack.chain.provider.send("evm_mine", []);

    worker = await startTestPaymentWorker(stack);
    const settled = await eventually(
      () => asAdmin(stack).get(`/v1/payments/${accepted.body.id}`).then((reply) => reply.body),
      (payment) => payment.status !== "pending" && payment.status !== "submitted",
    );
    expect(settled).toMatchObject({ status: expect.stringMatching(/^(included|confirmed)$/), txHash: theirs!.hash, blockNumber: theirs!.blockNumber });
    expect(await stack.chain.token(scene.program.token).balanceOf(scene.retailerWallet.address)).toBe(parseUnits("2", 18));
  });
});
