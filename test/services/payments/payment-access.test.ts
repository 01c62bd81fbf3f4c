import { Wallet } from "ethers";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { client } from "../../support/client.js";
import { sessionOf } from "../../support/collector-session.js";
import { admit } from "../../support/earn-fixtures.js";
import { anonymous, asAdmin, paymentScene, signPayment } from "../../support/payment-fixtures.js";
import { startStack, type Stack } from "../../support/stack.js";

let stack: Stack;
beforeAll(async () => {
  // No payment worker: the payment stays pending, which is all a read needs.
  stack = await startStack();
});
afterAll(() => stack?.close());

describe("who may read a payment", () => {
  it("answers the payer's session, the payee's key and the admin; anyone else, anonymous included, gets the same 404", async () => {
    const scene = await paymentScene(stack);
    const { body } = await signPayment(stack, scene.collector, scene.program, scene.retailerWallet.address, "1", { nonces: scene.nonces });
    const accepted = await anonymous(stack).post("/v1/payments", body);
    expect(accepted.status, JSON.stringify(accepted.body)).toBe(202);
    const url = `/v1/payments/${accepted.body.id}`;

    const payer = await sessionOf(stack, scene.collector);
    for (const reader of [payer, scene.retailer.api, asAdmin(stack)]) {
      const reply = await reader.get(url);
      expect(reply.status, JSON.stringify(reply.body)).toBe(200);
      expect(reply.body).toMatchObject({ id: accepted.body.id, value: "1" });
    }

    // The probe's request: no key at all, on a sequential id.
    const otherRetailer = await admit(stack, "retailer", "Warung Sebelah", Wallet.createRandom().address);
    const strangers = [anonymous(stack), await sessionOf(stack, Wallet.createRandom()), otherRetailer.api, scene.point.api];
    const answers = await Promise.all(strangers.map((stranger) => stranger.get(url)));
    for (const answer of answers) {
      expect(answer.status).toBe(404);
      expect(answer.body.error.code).toBe("RC_PAYMENT_NOT_FOUND");
    }
    // A payment that exists and one that does not read the same.
    const missing = await otherRetailer.api.get("/v1/payments/999999");
    expect(missing.body.error.message.replace("999999", String(accepted.body.id))).toBe(answers[2]!.body.error.message);
    expect((await client(stack.app, "rck_not-a-key").get(url)).status).toBe(401);
  });
});
