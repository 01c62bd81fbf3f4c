import { parseUnits } from "ethers";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { audit } from "../../../harness/chaos/audit.js";
import type { AcceptedPayment } from "../../../harness/chaos/load.js";
import type { AcceptedEvent } from "../../../harness/chaos/scene.js";
import { eventually } from "../../support/earn-fixtures.js";
import { anonymous, asAdmin, paymentScene, signPayment, startTestPaymentWorker } from "../../support/payment-fixtures.js";
import { startStack, type Stack } from "../../support/stack.js";

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

/** One minted drop-off (10 tokens) and one settled payment (1 token), as the chaos load would record them. */
async function settledScene() {
  const scene = await paymentScene(stack);
  const [row] = await stack.sql<{ id: string; beneficiary: string; credit: string }[]>`
    select id::text, beneficiary, credit::text from events`;
  const event: AcceptedEvent = { id: Number(row!.id), key: "k", beneficiary: row!.beneficiary, credit: BigInt(row!.credit) };
  const signed = await signPayment(stack, scene.collector, scene.program, scene.retailerWallet.address, "1", { nonces: scene.nonces });
  const reply = await anonymous(stack).post("/v1/payments", signed.body);
  await eventually(() => asAdmin(stack).get(`/v1/payments/${reply.body.id}`), (r) => r.body.status === "confirmed", 30_000);
  const payment: AcceptedPayment = {
    id: reply.body.id, payer: scene.collector.address, payee: scene.retailerWallet.address, nonce: signed.authorization.nonce, value: parseUnits("1", 18),
  };
  const check = (events: AcceptedEvent[], payments: AcceptedPayment[]) =>
    audit(stack.chain.provider, stack.sql, {
      token: scene.program.token, fromBlock: stack.deployment.startBlock, events, payments, retailers: [scene.retailerWallet.address],
    });
  return { event, payment, check };
}

describe("the chaos audit", () => {
  it("passes what the chain credited and settled once, and flags every loss and duplicate it is shown", async () => {
    const { event, payment, check } = await settledScene();
    const clean = await check([event], [payment]);
    expect(clean.problems).toEqual([]);
    expect(clean.events).toEqual({ accepted: 1, credited: 1, duplicates: 0, lost: 0 });
    expect(clean.payments).toEqual({ accepted: 1, settled: 1, failed: 0, reasons: {}, duplicates: 0, lost: 0 });
    expect(clean.sums.credited).toBe(event.credit);

    // An accepted event the chain never credited, and one credited with another amount: lost.
    const lost = await check([event, { ...event, id: event.id + 1000 }], [payment]);
    expect(lost.events.lost).toBe(1);
    expect((await check([{ ...event, credit: event.credit + 1n }], [payment])).events.lost).toBe(1);
    // Credited on chain but never accepted (a retry recorded twice would look so): a duplicate.
    const extra = await check([], [payment]);
    expect(extra.events.duplicates).toBeGreaterThan(0);
    // A payment accepted but never stored or settled: lost; one settled on chain but never accepted: a duplicate.
    const unsettled = await check([event], [payment, { ...payment, nonce: `0x${"ab".repeat(32)}` }]);
    expect(unsettled.payments.lost).toBe(1);
    expect((await check([event], [])).payments.duplicates).toBeGreaterThan(0);
  });
});
