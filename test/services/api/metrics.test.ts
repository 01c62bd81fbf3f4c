import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { idempotencyKey, recyclingScene } from "../../support/earn-fixtures.js";
import { sample } from "../../support/prometheus.js";
import { stagePendingEvents } from "../../support/stage-events.js";
import { startStack, type Stack } from "../../support/stack.js";
import { buildApp } from "../../../services/api/app.js";
import { SCRAPE_CACHE_MS } from "../../../services/api/plugins/scrape-metrics.js";
import { sleep } from "../../../harness/lib/time.js";

let stack: Stack;
// No batcher and no workers: what is accepted stays in the outbox and the queues for the scrape to see.
beforeAll(async () => {
  stack = await startStack({ runBatcher: false });
});
afterAll(async () => {
  await stack?.close();
});

const scrape = async () => {
  const reply = await stack.app.inject({ method: "GET", url: "/metrics" });
  expect(reply.statusCode).toBe(200);
  return reply.body;
};

describe("/metrics", () => {
  it("shows queue depths, the mint outbox with its confirmation lag, and the indexer's lag, read at scrape time", async () => {
    const scene = await recyclingScene(stack);
    const accepted = await scene.point.api.post(
      "/v1/collections",
      { programId: scene.program.id, collector: scene.collector.address, material: "PET", grams: 1000 },
      idempotencyKey(),
    );
    expect(accepted.status, JSON.stringify(accepted.body)).toBe(202);
    expect(accepted.body.status).toBe("pending");
    // Failed events wait for an admin, not for the batcher: counted, and no part of the confirmation lag.
    const failed = await stagePendingEvents(stack.sql, { programId: scene.program.id, issuerId: scene.point.id, beneficiary: scene.collector.address, credits: [1n, 2n] });
    await stack.sql`update events set status = 'failed', created_at = now() - interval '1 day' where id = any(${stack.sql.array(failed.map(String))}::bigint[])`;
    await stack.app.queues.payments.add("settle-payment", { paymentId: 1 }, { jobId: "metrics-test", delay: 60_000 });
    await stack.app.queues.payments.add("settle-payment", { paymentId: 2 }, { jobId: "metrics-test-2" });

    const text = await scrape();
    expect(sample(text, "recircle_queue_jobs", { queue: "payments", state: "waiting" })).toBeGreaterThanOrEqual(1);
    expect(sample(text, "recircle_queue_jobs", { queue: "payments", state: "delayed" })).toBeGreaterThanOrEqual(1);
    for (const queue of ["redemptions", "webhooks"]) {
      expect(sample(text, "recircle_queue_jobs", { queue, state: "failed" })).toBe(0);
    }
    expect(sample(text, "recircle_mint_outbox_events", { status: "pending" })).toBeGreaterThanOrEqual(1);
    expect(sample(text, "recircle_mint_outbox_events", { status: "held" })).toBe(0);
    expect(sample(text, "recircle_mint_outbox_events", { status: "failed" })).toBe(2);
    expect(sample(text, "recircle_mint_confirmation_lag_seconds")).toBeGreaterThan(0);
    expect(sample(text, "recircle_mint_confirmation_lag_seconds")).toBeLessThan(3_600);
    // No indexer ran: the lag runs from the deployment's first block, and the checkpoint's age is unknown (NaN).
    const head = await stack.chain.provider.getBlockNumber();
    expect(sample(text, "recircle_indexer_lag_blocks")).toBeGreaterThanOrEqual(head - stack.deployment.startBlock);
    expect(sample(text, "recircle_indexer_checkpoint_age_seconds")).toBeNaN();
    expect(sample(text, "recircle_http_request_duration_seconds_count", { route: "/v1/collections", status: "202" })).toBe(1);
    // No webhook was written or delivered: the outbox has no lag and nothing failed.
    expect(sample(text, "recircle_webhook_outbox_lag_seconds")).toBe(0);
    expect(sample(text, "recircle_webhook_failed_deliveries")).toBe(0);
  });

  it("reports the checkpoint's age once the indexer has stored one, reading PostgreSQL and the chain at most every few seconds", async () => {
    const head = await stack.chain.provider.getBlockNumber();
    await scrape();
    await stack.sql`
      insert into indexer_checkpoint (block_number, block_hash, updated_at) values (${head - 2}, '0x00', now() - interval '30 seconds')`;
    // A scrape within SCRAPE_CACHE_MS of the last one reads nothing: a flood of scrapes costs no query.
    expect(sample(await scrape(), "recircle_indexer_checkpoint_age_seconds")).toBeNaN();
    await sleep(SCRAPE_CACHE_MS + 100);
    const text = await scrape();
    expect(sample(text, "recircle_indexer_lag_blocks")).toBeGreaterThanOrEqual(2);
    expect(sample(text, "recircle_indexer_checkpoint_age_seconds")).toBeGreaterThanOrEqual(30);
  });

  it("answers only the scraper with METRICS_TOKEN when one is set", async () => {
    const token = "metrics-token-0123456789abcdef";
    const guarded = await buildApp({ config: { ...stack.config, metricsToken: token }, chain: stack.chain, logger: false });
    try {
      const scrapeWith = (authorization?: string) =>
        guarded.inject({ method: "GET", url: "/metrics", headers: authorization ? { authorization } : {} });
      for (const authorization of [undefined, "Bearer wrong-token", `Bearer ${token}x`, token]) {
        const reply = await scrapeWith(authorization);
        expect(reply.statusCode, authorization).toBe(401);
        expect(reply.json().error.code).toBe("RC_UNAUTHORIZED");
        expect(reply.body).not.toContain("recircle_");
      }
      const reply = await scrapeWith(`Bearer ${token}`);
      expect(reply.statusCode).toBe(200);
      expect(reply.body).toContain("recircle_queue_jobs");
    } finally {
      await guarded.close();
    }
  });
});
