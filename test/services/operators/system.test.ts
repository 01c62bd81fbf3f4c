import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { computeAddress } from "ethers";
import { sleep } from "../../../harness/lib/time.js";
import { DEV_WORKER_KEYS } from "../../../services/chain/network.js";
import { SCRAPE_CACHE_MS } from "../../../services/api/plugins/system-figures.js";
import { client } from "../../support/client.js";
import { admit, recyclingScene } from "../../support/earn-fixtures.js";
import { paymentScene, signPayment } from "../../support/payment-fixtures.js";
import { stagePendingEvents } from "../../support/stage-events.js";
import type { Sql } from "../../../services/db/sql.js";
import { startStack, type Stack } from "../../support/stack.js";

let stack: Stack;
// The operator mints, but no payment worker, webhook dispatcher or indexer runs: their work waits for the figures to show.
beforeAll(async () => {
  stack = await startStack();
});
afterAll(async () => {
  await stack?.close();
});

const figures = async () => {
  const reply = await client(stack.app, stack.adminKey).get("/v1/admin/system");
  expect(reply.status, JSON.stringify(reply.body)).toBe(200);
  return reply.body;
};
const depth = (body: { queues: { name: string; waiting: number; delayed: number }[] }, name: string) => body.queues.find((q) => q.name === name)!;

describe("GET /v1/admin/system", () => {
  it("shows what /metrics has: an accepted payment raises its queue's depth, a refused mint the outbox, a stuck webhook its lag", async () => {
    const scene = await paymentScene(stack, 2);
    const before = await figures();
    expect(before.queues.map((q: { name: string }) => q.name).sort()).toEqual(["payments", "redemptions", "webhooks"]);

    // No payment worker runs here: the accepted payment's job waits in the queue.
    const { body } = await signPayment(stack, scene.collector, scene.program, scene.retailerWallet.address, "1", { nonces: scene.nonces });
    const paid = await client(stack.app).post("/v1/payments", body);
    expect(paid.status, JSON.stringify(paid.body)).toBe(202);
    // Two events the token refused: written and failed in one transaction, so the running batcher never sees them pending.
    await stack.sql.begin(async (tx) => {
      const staged = { programId: scene.program.id, issuerId: scene.point.id, beneficiary: scene.collector.address, credits: [1n, 2n] };
      const refused = await stagePendingEvents(tx as unknown as Sql, staged);
      await tx`update events set status = 'failed' where id = any(${tx.array(refused.map(String))}::bigint[])`;
    });
    await stack.sql`
      insert into webhook_events (type, payload, member_ids, created_at)
      values ('payment.settled', '{}', ${stack.sql.array([String(scene.retailer.id)])}::bigint[], now() - interval '90 seconds')`;
    // The figures are read at most every few seconds, like /metrics: within the window nothing is read again.
    expect(depth(await figures(), "payments").waiting).toBe(depth(before, "payments").waiting);
    await sleep(SCRAPE_CACHE_MS + 100);

    const after = await figures();
    expect(depth(after, "payments").waiting).toBe(depth(before, "payments").waiting + 1);
    expect(after.mintOutbox.failed).toBe(before.mintOutbox.failed + 2);
    expect(after.webhooks.undispatched).toBe(before.webhooks.undispatched + 1);
    expect(after.webhooks.oldestAgeSeconds).toBeGreaterThanOrEqual(90);
    expect(after.webhooks.recentFailures).toBe(0);
    // No indexer runs here: it trails the head by every block since the deployment's first.
    const head = await stack.chain.provider.getBlockNumber();
    expect(after.indexer.lagBlocks).toBeGreaterThanOrEqual(head - stack.deployment.startBlock);
    expect(after.indexer.checkpointAgeSeconds).toBeNull();
  });

  it("lists the operator's and the workers' signers with their balances; the low flag of the signer this process runs", async () => {
    const { signers } = await figures();
    const operator = signers.find((s: { role: string }) => s.role === "operator");
    expect(operator).toMatchObject({ address: stack.app.chain.writer.address, low: false });
    expect(operator.balanceEth).toBeGreaterThan(0);
    // On the dev chain with no worker key configured, the workers sign with the dev keys; their flag is theirs.
    const payments = signers.find((s: { role: string }) => s.role === "payments");
    expect(payments).toMatchObject({ address: computeAddress(stack.config.paymentWorkerPrivateKey ?? DEV_WORKER_KEYS[0]), low: null });
    expect(payments.balanceEth).toBeGreaterThan(0);
  });

  it("counts the webhook deliveries of the last hour that got no 2xx", async () => {
    const brand = await admit(stack, "brand", "Merek Webhook");
    const [subscription] = await stack.sql<{ id: bigint }[]>`
      insert into webhook_subscriptions (member_id, url, events, secret)
      values (${String(brand.id)}, 'https://receiver.example.org/hook', '{payment.settled}', 's') returning id`;
    const [event] = await stack.sql<{ id: bigint }[]>`
      insert into webhook_events (type, payload, member_ids, dispatched_at)
      values ('payment.settled', '{}', ${stack.sql.array([String(brand.id)])}::bigint[], now()) returning id`;
    const attempt = (status: number | null, startedAt: Date) => stack.sql`
      insert into webhook_deliveries (subscription_id, event_id, attempt, status_code, error, duration_ms, started_at)
      values (${String(subscription!.id)}, ${String(event!.id)}, 1, ${status}, ${status === null ? "timeout" : null}, 5, ${startedAt})`;
    const before = (await figures()).webhooks.recentFailures;
    await attempt(500, new Date());
    await attempt(null, new Date());
    await attempt(200, new Date());
    await attempt(503, new Date(Date.now() - 2 * 3_600_000)); // outside the window
    await sleep(SCRAPE_CACHE_MS + 100);
    expect((await figures()).webhooks.recentFailures).toBe(before + 2);
  });

  it("answers the admin only", async () => {
    const scene = await recyclingScene(stack);
    expect((await client(stack.app).get("/v1/admin/system")).status).toBe(401);
    const refused = await scene.point.api.get("/v1/admin/system");
    expect(refused.status).toBe(403);
    expect(refused.body.error.code).toBeDefined();
  });
});
