import { parseUnits } from "ethers";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { encodeVoucher } from "../../../services/core/voucher.js";
import { eventually } from "../../support/earn-fixtures.js";
import { anonymous, asAdmin, paymentScene, signPayment, startTestPaymentWorker } from "../../support/payment-fixtures.js";
import { startStack, type Stack } from "../../support/stack.js";

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

describe("payments", () => {
  it("settles a collector's signed payment to a retailer, and refuses its replay with 409", async () => {
    const scene = await paymentScene(stack);
    const { body } = await signPayment(stack, scene.collector, scene.program, scene.retailerWallet.address, "2.5", { nonces: scene.nonces });
    const accepted = await anonymous(stack).post("/v1/payments", body);
    expect(accepted.status, JSON.stringify(accepted.body)).toBe(202);
    expect(accepted.body).toMatchObject({ status: "pending", value: "2.5", source: "online" });
    const settled = await eventually(() => asAdmin(stack).get(`/v1/payments/${accepted.body.id}`), (r) => r.body.status === "confirmed");
    expect(settled.body.txHash).toMatch(/^0x[0-9a-f]{64}$/);
    const token = stack.chain.token(scene.program.token);
    expect(await token.balanceOf(scene.retailerWallet.address)).toBe(parseUnits("2.5", 18));
    expect(await token.balanceOf(scene.collector.address)).toBe(parseUnits("7.5", 18));

    const replay = await anonymous(stack).post("/v1/payments", body);
    expect(replay.status).toBe(409);
    expect(replay.body.error.code).toBe("RC_AUTHORIZATION_REPLAYED");
    expect(await token.balanceOf(scene.retailerWallet.address)).toBe(parseUnits("2.5", 18));
  });

  it("takes an offline voucher a retailer submits later, and settles it the same way", async () => {
    const scene = await paymentScene(stack);
    const { authorization, signature } = await signPayment(stack, scene.collector, scene.program, scene.retailerWallet.address, "1.25");
    const voucher = encodeVoucher({
      programId: scene.program.id,
      from: authorization.from,
      to: authorization.to,
      value: authorization.value,
      validAfter: Number(authorization.validAfter),
      validBefore: Number(authorization.validBefore),
      nonce: authorization.nonce,
      signature,
    });
    expect(voucher.length).toBeLessThan(250);
    const accepted = await anonymous(stack).post("/v1/payments", { voucher });
    expect(accepted.status, JSON.stringify(accepted.body)).toBe(202);
    expect(accepted.body.source).toBe("voucher");
    await eventually(() => asAdmin(stack).get(`/v1/payments/${accepted.body.id}`), (r) => r.body.status === "confirmed");
    expect(await stack.chain.token(scene.program.token).balanceOf(scene.retailerWallet.address)).toBe(parseUnits("1.25", 18));
  });

  it("refuses an expired authorization, one beyond the balance less pending payments, and a payee that does not accept the program", async () => {
    const scene = await paymentScene(stack); // 10 tokens
    const now = Math.floor(Date.now() / 1000);
    const expired = await signPayment(stack, scene.collector, scene.program, scene.retailerWallet.address, "1", { validBefore: now - 1 });
    const tooMuch = await signPayment(stack, scene.collector, scene.program, scene.retailerWallet.address, "10.000000000000000001");
    const stranger = await signPayment(stack, scene.collector, scene.program, scene.collector.address, "1");
    const before = await stack.sql`select count(*)::int as n from payments`;
    for (const [body, status, code] of [
      [expired.body, 400, "RC_AUTHORIZATION_EXPIRED"],
      [tooMuch.body, 400, "RC_INSUFFICIENT_BALANCE"],
      [stranger.body, 400, "RC_PAYEE_NOT_ACCEPTOR"],
    ] as const) {
      const reply = await anonymous(stack).post("/v1/payments", body);
      expect(reply.status, JSON.stringify(reply.body)).toBe(status);
      expect(reply.body.error.code).toBe(code);
    }
    expect(await stack.sql`select count(*)::int as n from payments`).toEqual(before);

    // 6 pending leaves 4 for the next payment, whatever the chain still says.
    const first = await signPayment(stack, scene.collector, scene.program, scene.retailerWallet.address, "6");
    const second = await signPayment(stack, scene.collector, scene.program, scene.retailerWallet.address, "5");
    const replies = await Promise.all([first.body, second.body].map((body) => anonymous(stack).post("/v1/payments", body)));
    expect(replies.map((r) => r.status).sort()).toEqual([202, 400]);
  });

  it("refuses a signature that is not the payer's", async () => {
    const scene = await paymentScene(stack);
    const signed = await signPayment(stack, scene.collector, scene.program, scene.retailerWallet.address, "1");
    const forged = { ...signed.body, authorization: { ...signed.body.authorization, value: "2" } };
    const reply = await anonymous(stack).post("/v1/payments", forged);
    expect(reply.status).toBe(400);
    expect(reply.body.error.code).toBe("RC_INVALID_SIGNATURE");
  });
});
