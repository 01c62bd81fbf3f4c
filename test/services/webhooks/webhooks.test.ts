import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { verifyWebhookSignature } from "../../../services/core/webhook-signature.js";
import { recordWebhookEvent } from "../../../services/db/webhook-outbox.js";
import { startWebhookWorker, type WebhookWorker } from "../../../services/queue/webhook-worker.js";
import { admit, eventually, idempotencyKey, recyclingScene } from "../../support/earn-fixtures.js";
import { anonymous, paymentScene, signPayment, startTestPaymentWorker } from "../../support/payment-fixtures.js";
import { startStack, type Stack } from "../../support/stack.js";
import { fundProgram, redemptionScene, settled, signRedemption, startTestRedemptionWorker } from "../../support/redemption-fixtures.js";
import { startReceiver, type Received } from "../../support/webhook-receiver.js";

let stack: Stack;
let receiver: Awaited<ReturnType<typeof startReceiver>>;
let connection: Redis;
let webhooks: WebhookWorker;
let payments: Awaited<ReturnType<typeof startTestPaymentWorker>>;
beforeAll(async () => {
  // The receiver is on loopback: the setting that exists for local receivers lets deliveries reach it.
  stack = await startStack({ env: { PAYMENT_BATCH_MS: "50", WEBHOOK_ALLOW_LOOPBACK: "true" } });
  receiver = await startReceiver();
  connection = new Redis(stack.config.redisUrl, { maxRetriesPerRequest: null });
  // Short poll, backoff and timeout (below the receiver's SLOW_MS) so retries happen within the test.
  webhooks = startWebhookWorker({ config: stack.config, sql: stack.sql, connection, pollMs: 100, backoffMs: 300, timeoutMs: 1_000, log: { info() {}, error() {} } });
  payments = await startTestPaymentWorker(stack);
});
afterAll(async () => {
  await payments?.close();
  await webhooks?.close();
  await connection?.quit();
  await receiver?.close();
  await stack?.close();
});

const now = () => Math.floor(Date.now() / 1000);
const verify = (secret: string, r: Received, body = r.body) =>
  verifyWebhookSignature(secret, r.headers["recircle-signature"] as string, body, now(), 300);

describe("webhooks", () => {
  it("delivers a signed credit.confirmed to the issuer's receiver, logged, and a tampered body fails verification", async () => {
    const { program, point, collector } = await recyclingScene(stack);
    const subscribed = await point.api.post("/v1/webhooks", { url: receiver.url("/credits"), events: ["credit.confirmed"] });
    expect(subscribed.status, JSON.stringify(subscribed.body)).toBe(201);
    expect(subscribed.body).toMatchObject({ url: receiver.url("/credits"), events: ["credit.confirmed"], active: true });
    const { secret, id } = subscribed.body;
    expect(secret).toMatch(/^whsec_/);
    const listed = await point.api.get("/v1/webhooks");
    expect(listed.body.webhooks).toEqual([expect.objectContaining({ id, url: receiver.url("/credits") })]);
    expect(listed.body.webhooks[0].secret).toBeUndefined();

    const event = await point.api.post("/v1/collections", { programId: program.id, collector: collector.address, material: "PET", grams: 1_500 }, idempotencyKey());
    expect(event.status).toBe(202);
    const [delivery] = await eventually(async () => receiver.at("/credits"), (r) => r.length >= 1);
    const confirmed = await point.api.get(`/v1/collections/${event.body.id}`);

    expect(delivery!.headers["recircle-event"]).toBe("credit.confirmed");
    expect(delivery!.headers["recircle-delivery"]).toMatch(/^webhook-\d+-\d+$/);
    expect(delivery!.headers["recircle-signature"]).toMatch(new RegExp(`^t=${delivery!.headers["recircle-timestamp"]},v1=[0-9a-f]{64}$`));
    expect(verify(secret, delivery!)).toMatchObject({ ok: true });
    const body = JSON.parse(delivery!.body);
    expect(body).toMatchObject({
      type: "credit.confirmed",
      data: {
        eventId: event.body.id,
        programId: program.id,
        beneficiary: collector.address,
        tokens: "3.75",
        txHash: confirmed.body.txHash,
        blockNumber: expect.any(Number),
      },
    });
    // A man in the middle changing the amount, or a receiver checking with another key: refused.
    expect(verify(secret, delivery!, delivery!.body.replace('"3.75"', '"375"'))).toEqual({ ok: false, reason: "mismatch" });
    expect(verify("whsec_other", delivery!)).toEqual({ ok: false, reason: "mismatch" });

    const log = await eventually(() => point.api.get(`/v1/webhooks/${id}/deliveries`), (r) => r.body.deliveries?.length === 1);
    expect(log.body.deliveries[0]).toMatchObject({ eventType: "credit.confirmed", attempt: 1, statusCode: 200, error: null });
  });

  it("retries a payment.settled delivery the receiver answered 500, with both attempts logged", async () => {
    const scene = await paymentScene(stack);
    receiver.script("/payments", 500);
    const subscribed = await scene.retailer.api.post("/v1/webhooks", { url: receiver.url("/payments"), events: ["payment.settled", "redemption.paid"] });
    expect(subscribed.status).toBe(201);
    const { body } = await signPayment(stack, scene.collector, scene.program, scene.retailerWallet.address, "2.5", { nonces: scene.nonces });
    const accepted = await anonymous(stack).post("/v1/payments", body);
    expect(accepted.status, JSON.stringify(accepted.body)).toBe(202);

    const attempts = await eventually(async () => receiver.at("/payments"), (r) => r.length >= 2);
    expect(attempts.map((a) => a.status)).toEqual([500, 200]);
    // The same delivery both times, each attempt signed afresh.
    expect(attempts[1]!.headers["recircle-delivery"]).toBe(attempts[0]!.headers["recircle-delivery"]);
    for (const attempt of attempts) expect(verify(subscribed.body.secret, attempt).ok).toBe(true);
    expect(JSON.parse(attempts[1]!.body)).toMatchObject({
      type: "payment.settled",
      data: { paymentId: accepted.body.id, amount: "2.5", status: "confirmed", payee: scene.retailerWallet.address, failureReason: null },
    });

    const log = await eventually(
      () => scene.retailer.api.get(`/v1/webhooks/${subscribed.body.id}/deliveries`),
      (r) => r.body.deliveries?.length === 2,
    );
    expect(log.body.deliveries).toEqual([
      expect.objectContaining({ attempt: 2, statusCode: 200, error: null }),
      expect.objectContaining({ attempt: 1, statusCode: 500, error: "http_5xx" }),
    ]);
    // The collection point's credit to this collector went to no one: the retailer did not subscribe to credits.
    expect(receiver.at("/payments")).toHaveLength(2);
  });

  it("tells the retailer its redemption was paid", async () => {
    const scene = await redemptionScene(stack, { kg: 60, amount: "150" });
    await fundProgram(stack, scene.program.token, ["2"]);
    const subscribed = await scene.retailer.api.post("/v1/webhooks", { url: receiver.url("/redemptions"), events: ["redemption.paid"] });
    const accepted = await scene.retailer.api.post("/v1/redemptions", await signRedemption(stack, scene.retailerWallet, scene.program, "150"));
    expect(accepted.status, JSON.stringify(accepted.body)).toBe(202);
    const worker = await startTestRedemptionWorker(stack);
    try {
      const done = await settled(scene.retailer.api, accepted.body.id);
      expect(done.body.status).toBe("confirmed");
      const [delivery] = await eventually(async () => receiver.at("/redemptions"), (r) => r.length >= 1);
      expect(verify(subscribed.body.secret, delivery!).ok).toBe(true);
      expect(JSON.parse(delivery!.body)).toMatchObject({
        type: "redemption.paid",
        data: { redemptionId: accepted.body.id, tokens: "150", grossBaseUnits: "1500000", feeBaseUnits: "7500", txHash: done.body.txHash },
      });
    } finally {
      await worker.close();
    }
  });

  it("records an event other code emits (lot.confirmed) only for subscribers, never follows a redirect and gives up on a slow receiver", async () => {
    const processor = await admit(stack, "processor", "Daur Ulang Jaya");
    const bystander = await admit(stack, "processor", "Nobody Listening");
    expect(await recordWebhookEvent(stack.sql, { type: "lot.confirmed", payload: { lotId: 7 }, memberIds: [bystander.id] })).toBeUndefined();
    const subscribed = await processor.api.post("/v1/webhooks", { url: receiver.url("/lots"), events: ["lot.confirmed"] });
    receiver.script("/lots", 302, 0);
    const id = await recordWebhookEvent(stack.sql, { type: "lot.confirmed", payload: { lotId: 7 }, memberIds: [processor.id, bystander.id] });
    expect(id).toBeTypeOf("bigint");

    const attempts = await eventually(async () => receiver.at("/lots"), (r) => r.length >= 3);
    expect(attempts.map((a) => a.status)).toEqual([302, 0, 200]);
    expect(JSON.parse(attempts[2]!.body)).toMatchObject({ id: Number(id), type: "lot.confirmed", data: { lotId: 7 } });
    const log = await eventually(
      () => processor.api.get(`/v1/webhooks/${subscribed.body.id}/deliveries`),
      (r) => r.body.deliveries?.length === 3,
    );
    expect(log.body.deliveries).toEqual([
      expect.objectContaining({ attempt: 3, statusCode: 200, error: null }),
      expect.objectContaining({ attempt: 2, statusCode: null, error: "timeout" }),
      expect.objectContaining({ attempt: 1, statusCode: 302, error: "redirect" }),
    ]);
  });

  it("validates URLs, and lets a member see and delete only its own subscriptions", async () => {
    const { point, admin } = await recyclingScene(stack);
    for (const url of ["ftp://example.com/", "https://user:pw@example.com/hook", "not a url", "https://example.com/#x"]) {
      const reply = await point.api.post("/v1/webhooks", { url, events: ["credit.confirmed"] });
      expect(reply.status, url).toBe(400);
    }
    expect((await point.api.post("/v1/webhooks", { url: receiver.url("/x"), events: ["made.up"] })).status).toBe(400);
    expect((await point.api.post("/v1/webhooks", { url: receiver.url("/x"), events: [] })).status).toBe(400);

    const mine = await point.api.post("/v1/webhooks", { url: receiver.url("/x"), events: ["lot.confirmed"] });
    expect(mine.status).toBe(201);
    const del = (key: string) =>
      stack.app.inject({ method: "DELETE", url: `/v1/webhooks/${mine.body.id}`, headers: { authorization: `Bearer ${key}` } });
    expect((await admin.get(`/v1/webhooks/${mine.body.id}/deliveries`)).status).toBe(404);
    expect((await del(stack.adminKey)).statusCode).toBe(404);
    expect((await del(point.key)).statusCode).toBe(204);
    expect((await point.api.get("/v1/webhooks")).body.webhooks).toEqual([]);
    expect((await del(point.key)).statusCode).toBe(404);
  });
});
