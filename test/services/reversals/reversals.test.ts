import { parseUnits } from "ethers";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ChainIndexer } from "../../../services/engines/indexer.js";
import { eventually, idempotencyKey, recyclingScene } from "../../support/earn-fixtures.js";
import { anonymous, asAdmin, paymentScene, signPayment, startTestPaymentWorker } from "../../support/payment-fixtures.js";
import { startStack, type Stack } from "../../support/stack.js";
import { undeliveredUrl } from "../../support/webhook-receiver.js";

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

const tokens = (amount: string) => parseUnits(amount, 18);
const TX = /^0x[0-9a-f]{64}$/;
/** The answer comes once the reversal is in a block; CHAIN_CONFIRMATIONS blocks on it may or may not stand yet. */
const IN_A_BLOCK = expect.stringMatching(/^(included|confirmed)$/);

/** The reversal of `eventId` once confirmed (the finality watcher moves it CHAIN_CONFIRMATIONS blocks later). */
const confirmedReversal = (eventId: number | bigint) =>
  eventually(
    () => stack.sql`select status from reversals where event_id = ${String(eventId)} and status <> 'failed'`,
    (rows) => rows[0]?.status === "confirmed",
  );

/** A drop-off of `grams` of PET (2.5 tokens per kg) by the scene's collector, awaited until confirmed. */
async function dropOff(scene: Awaited<ReturnType<typeof recyclingScene>>, grams: number) {
  const reply = await scene.point.api.post(
    "/v1/collections",
    { programId: scene.program.id, collector: scene.collector.address, material: "PET", grams },
    idempotencyKey(),
  );
  expect(reply.status, JSON.stringify(reply.body)).toBe(202);
  const confirmed = await eventually(() => scene.point.api.get(`/v1/collections/${reply.body.id}`), (r) => r.body.status === "confirmed");
  return confirmed.body as { id: number; txHash: string };
}

/** The wallet's history as an admin reads it, once the indexer has caught up with the chain. */
async function historyOf(scene: Awaited<ReturnType<typeof recyclingScene>>, address: string) {
  await new ChainIndexer(stack.sql, stack.chain, { confirmations: 0 }).runOnce();
  const reply = await scene.admin.get(`/v1/collectors/${address}`);
  expect(reply.status, JSON.stringify(reply.body)).toBe(200);
  return reply.body as { balances: { balance: string }[]; history: Record<string, unknown>[] };
}

describe("credit reversals", () => {
  it("burns back an unspent credit, and the history shows the credit and its reversal with their tx hashes", async () => {
    const scene = await recyclingScene(stack);
    const token = stack.chain.token(scene.program.token);
    await dropOff(scene, 2_000); // 5 tokens, rightly
    const before = await token.balanceOf(scene.collector.address);
    const mistaken = await dropOff(scene, 4_000); // 10 tokens: the scale was misread
    expect(await token.balanceOf(scene.collector.address)).toBe(before + tokens("10"));

    const reply = await scene.admin.post(`/v1/events/${mistaken.id}/reverse`, { reason: "scale misread" });
    expect(reply.status, JSON.stringify(reply.body)).toBe(200);
    expect(reply.body).toMatchObject({
      eventId: mistaken.id,
      holder: scene.collector.address,
      reason: "scale misread",
      amount: "10",
      burned: "10",
      shortfall: "0",
      status: IN_A_BLOCK,
    });
    expect(reply.body.txHash).toMatch(TX);
    await confirmedReversal(mistaken.id);
    expect(await token.balanceOf(scene.collector.address)).toBe(before);
    expect(await token.isReversed(BigInt(mistaken.id))).toBe(true);

    const ledger = await historyOf(scene, scene.collector.address);
    expect(ledger.balances[0]?.balance).toBe("5");
    const credit = ledger.history.find((item) => item.reason === "RC_COLLECTION_CREDIT" && item.id === mistaken.id);
    const reversal = ledger.history.find((item) => item.reason === "RC_CREDIT_REVERSED");
    expect(credit).toMatchObject({ kind: "collection", direction: "in", amount: "10", status: "confirmed", txHash: mistaken.txHash });
    expect(reversal).toMatchObject({
      kind: "reversal",
      direction: "out",
      amount: "10",
      shortfall: "0",
      id: mistaken.id,
      note: "scale misread",
      status: "confirmed",
      txHash: reply.body.txHash,
    });
    // The burn is the reversal's, not an unexplained transfer.
    expect(ledger.history.filter((item) => item.reason === "RC_BURN")).toEqual([]);
    // Every movement carries a reason code.
    for (const item of ledger.history) expect(item.reason).toMatch(/^RC_[A-Z_]+$/);

    const [indexed] = await stack.sql`select args from chain_events where name = 'CreditReversed' and tx_hash = ${reply.body.txHash}`;
    expect(indexed?.args).toEqual({
      eventId: String(mistaken.id),
      holder: scene.collector.address,
      amount: tokens("10").toString(),
      burned: tokens("10").toString(),
      shortfall: "0",
    });
  });

  it("burns what is left of a credit the collector already spent and records the shortfall", async () => {
    const scene = await paymentScene(stack); // 10 tokens
    const [earned] = await stack.sql<{ id: bigint }[]>`select id from events where beneficiary = ${scene.collector.address}`;
    const { body } = await signPayment(stack, scene.collector, scene.program, scene.retailerWallet.address, "7.5", { nonces: scene.nonces });
    const accepted = await anonymous(stack).post("/v1/payments", body);
    expect(accepted.status, JSON.stringify(accepted.body)).toBe(202);
    await eventually(() => asAdmin(stack).get(`/v1/payments/${accepted.body.id}`), (r) => r.body.status === "confirmed");

    // The collection point that issued the credit listens for its reversal (no receiver needed: the outbox row is checked).
    const subscribed = await scene.point.api.post("/v1/webhooks", { url: undeliveredUrl("/reversals"), events: ["credit.reversed"] });
    expect(subscribed.status, JSON.stringify(subscribed.body)).toBe(201);

    const reply = await scene.admin.post(`/v1/events/${earned!.id}/reverse`, { reason: "weighed with the crate" });
    expect(reply.status, JSON.stringify(reply.body)).toBe(200);
    expect(reply.body).toMatchObject({ amount: "10", burned: "2.5", shortfall: "7.5", status: IN_A_BLOCK });
    // Told once confirmed, as credits, payments and redemptions are: a reorganisation may still take an included one away.
    await confirmedReversal(earned!.id);
    const hooks = await stack.sql`select payload, member_ids from webhook_events where type = 'credit.reversed'`;
    expect(hooks.map((h) => h.payload)).toEqual([
      {
        eventId: Number(earned!.id),
        programId: scene.program.id,
        holder: scene.collector.address,
        amount: "10",
        burned: "2.5",
        shortfall: "7.5",
        reason: "weighed with the crate",
        txHash: reply.body.txHash,
        blockNumber: reply.body.blockNumber,
      },
    ]);
    expect(hooks[0]!.member_ids).toEqual([BigInt(scene.point.id)]);
    const token = stack.chain.token(scene.program.token);
    expect(await token.balanceOf(scene.collector.address)).toBe(0n);
    expect(await token.balanceOf(scene.retailerWallet.address)).toBe(tokens("7.5"));
    const [row] = await stack.sql`select burned::text, shortfall::text, status from reversals where event_id = ${earned!.id}`;
    expect(row).toEqual({ burned: tokens("2.5").toString(), shortfall: tokens("7.5").toString(), status: "confirmed" });

    const ledger = await historyOf(scene, scene.collector.address);
    const reasons = ledger.history.map((item) => item.reason);
    expect(reasons).toEqual(expect.arrayContaining(["RC_COLLECTION_CREDIT", "RC_PAYMENT_OUT", "RC_CREDIT_REVERSED"]));
    expect(ledger.history.find((item) => item.reason === "RC_CREDIT_REVERSED")).toMatchObject({ amount: "2.5", shortfall: "7.5" });
  });

  it("refuses a second reversal of one credit with 409", async () => {
    const scene = await recyclingScene(stack);
    const credit = await dropOff(scene, 1_000);
    expect((await scene.admin.post(`/v1/events/${credit.id}/reverse`, { reason: "duplicate ticket" })).status).toBe(200);
    const again = await scene.admin.post(`/v1/events/${credit.id}/reverse`, { reason: "duplicate ticket" });
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe("RC_EVENT_ALREADY_REVERSED");
    const [{ n }] = (await stack.sql`select count(*)::int as n from reversals where event_id = ${credit.id}`) as unknown as [{ n: number }];
    expect(n).toBe(1);
  });

  it("refuses an event that is not confirmed with 409, and an unknown one with 404", async () => {
    const scene = await recyclingScene(stack, { perEvent: "1" });
    const held = await scene.point.api.post(
      "/v1/collections",
      { programId: scene.program.id, collector: scene.collector.address, material: "PET", grams: 1_000 },
      idempotencyKey(),
    );
    expect(held.body.status).toBe("held");
    const reply = await scene.admin.post(`/v1/events/${held.body.id}/reverse`, { reason: "never minted" });
    expect(reply.status).toBe(409);
    expect(reply.body.error.code).toBe("RC_EVENT_NOT_CONFIRMED");
    expect((await scene.admin.post("/v1/events/999999/reverse", { reason: "no such" })).status).toBe(404);
  });

  it("lets only an admin reverse a credit", async () => {
    const scene = await recyclingScene(stack);
    const credit = await dropOff(scene, 1_000);
    const byPoint = await scene.point.api.post(`/v1/events/${credit.id}/reverse`, { reason: "not mine to undo" });
    expect(byPoint.status).toBe(403);
    expect(byPoint.body.error.code).toBe("RC_WRONG_ROLE");
    expect((await anonymous(stack).post(`/v1/events/${credit.id}/reverse`, { reason: "anyone?" })).status).toBe(401);
    expect(await stack.chain.token(scene.program.token).isReversed(BigInt(credit.id))).toBe(false);
  });
});
