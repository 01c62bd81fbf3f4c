import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { idempotencyKey } from "../../support/earn-fixtures.js";
import { startTestPaymentWorker } from "../../support/payment-fixtures.js";
import {
  fundProgram,
  redemptionScene,
  settled,
  signRedemption,
  stablecoin,
  redemptionWorkerForThisTest,
  tokens,
  tusd,
} from "../../support/redemption-fixtures.js";
import { startStack, type Stack } from "../../support/stack.js";

let stack: Stack;
let payments: Awaited<ReturnType<typeof startTestPaymentWorker>>;
beforeAll(async () => {
  stack = await startStack({ env: { PAYMENT_BATCH_MS: "20" } });
  payments = await startTestPaymentWorker(stack);
});
afterAll(async () => {
  await payments?.close();
  await stack?.close();
});


const redemptionsOf = async (retailerId: number) =>
  (await stack.sql`select count(*)::int as n from redemptions where retailer_id = ${retailerId}`)[0]!.n as number;

describe("POST /v1/redemptions with an Idempotency-Key", () => {
  it("replays the first answer for the same key and body, also once the permit is spent, and pays once", async () => {
    const scene = await redemptionScene(stack); // 150 tokens, worth 1.5 tUSD
    await fundProgram(stack, scene.program.token, ["2"]);
    const body = await signRedemption(stack, scene.retailerWallet, scene.program, "100");
    const key = idempotencyKey();

    const first = await scene.retailer.api.post("/v1/redemptions", body, key);
    expect(first.status, JSON.stringify(first.body)).toBe(202);
    const again = await scene.retailer.api.post("/v1/redemptions", body, key);
    expect(again.status).toBe(202);
    expect(again.body).toEqual(first.body);

    await redemptionWorkerForThisTest(stack);
    expect((await settled(scene.retailer.api, first.body.id)).body.status).toBe("confirmed");
    // The token's nonce has moved past the permit: only a replay can still answer 202 with the same redemption.
    const late = await scene.retailer.api.post("/v1/redemptions", body, key);
    expect(late.status, JSON.stringify(late.body)).toBe(202);
    expect(late.body.id).toBe(first.body.id);
    expect(await redemptionsOf(scene.retailer.id)).toBe(1);
    expect(await stack.chain.token(scene.program.token).balanceOf(scene.retailerWallet.address)).toBe(tokens("50"));
    expect(await stablecoin(stack).balanceOf(scene.retailerWallet.address)).toBe(tusd("0.995")); // 1 less 50 bps
  });

  it("answers 409 to the same key with another body, and stores nothing for it", async () => {
    const scene = await redemptionScene(stack);
    await fundProgram(stack, scene.program.token, ["2"]);
    const key = idempotencyKey();
    const first = await scene.retailer.api.post("/v1/redemptions", await signRedemption(stack, scene.retailerWallet, scene.program, "40"), key);
    expect(first.status, JSON.stringify(first.body)).toBe(202);

    const other = await scene.retailer.api.post("/v1/redemptions", await signRedemption(stack, scene.retailerWallet, scene.program, "60"), key);
    expect(other.status).toBe(409);
    expect(other.body.error.code).toBe("RC_IDEMPOTENCY_KEY_REUSED");
    expect(await redemptionsOf(scene.retailer.id)).toBe(1);
  });

  it("leaves the key free when it refuses the request, so a corrected retry is accepted", async () => {
    const scene = await redemptionScene(stack);
    await fundProgram(stack, scene.program.token, ["2"]);
    const key = idempotencyKey();
    const wrong = await signRedemption(stack, scene.retailerWallet, scene.program, "40", { signedAmount: "41" });
    const refused = await scene.retailer.api.post("/v1/redemptions", wrong, key);
    expect(refused.status).toBe(400);
    expect(refused.body.error.code).toBe("RC_INVALID_PERMIT");

    const right = await scene.retailer.api.post("/v1/redemptions", await signRedemption(stack, scene.retailerWallet, scene.program, "40"), key);
    expect(right.status, JSON.stringify(right.body)).toBe(202);
    expect(await redemptionsOf(scene.retailer.id)).toBe(1);
  });

  it("stores one redemption for 10 concurrent identical requests, and each gets it", async () => {
    const scene = await redemptionScene(stack);
    await fundProgram(stack, scene.program.token, ["2"]);
    const body = await signRedemption(stack, scene.retailerWallet, scene.program, "70");
    const key = idempotencyKey();

    const replies = await Promise.all(Array.from({ length: 10 }, () => scene.retailer.api.post("/v1/redemptions", body, key)));
    expect(replies.map((r) => r.status)).toEqual(Array(10).fill(202));
    expect(new Set(replies.map((r) => r.body.id)).size).toBe(1);
    expect(await redemptionsOf(scene.retailer.id)).toBe(1);

    await redemptionWorkerForThisTest(stack);
    expect((await settled(scene.retailer.api, replies[0]!.body.id)).body.status).toBe("confirmed");
    expect(await stack.chain.token(scene.program.token).balanceOf(scene.retailerWallet.address)).toBe(tokens("80"));
  });

  it("still accepts a request without a key, as older clients send it, and refuses a malformed key", async () => {
    const scene = await redemptionScene(stack);
    await fundProgram(stack, scene.program.token, ["2"]);
    const body = await signRedemption(stack, scene.retailerWallet, scene.program, "10");
    for (const key of ["a b", "k".repeat(201), ""]) {
      const refused = await scene.retailer.api.post("/v1/redemptions", body, { "idempotency-key": key });
      expect(refused.status, key).toBe(400);
      expect(refused.body.error.code).toBe("RC_VALIDATION");
    }
    const accepted = await scene.retailer.api.post("/v1/redemptions", body);
    expect(accepted.status, JSON.stringify(accepted.body)).toBe(202);
    expect(await redemptionsOf(scene.retailer.id)).toBe(1);
  });
});
