import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SSRF_URLS } from "../../../harness/fuzz/ssrf-urls.js";
import { recordWebhookEvent } from "../../../services/db/webhook-outbox.js";
import { startWebhookWorker } from "../../../services/queue/webhook-worker.js";
import { admit, eventually } from "../../support/earn-fixtures.js";
import { startStack, type Stack } from "../../support/stack.js";
import { startReceiver } from "../../support/webhook-receiver.js";

// The configuration a deployment gets: https to public addresses only, at most 10 subscriptions a member.
let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(() => stack?.close());

const subscriptions = async (memberId: number) =>
  (await stack.sql<{ count: number }[]>`select count(*)::int as count from webhook_subscriptions where member_id = ${memberId}`)[0]!.count;

describe("webhook subscriptions against SSRF", () => {
  it("refuses at subscribe time every loopback, private, link-local, CGNAT, multicast and metadata URL the probe tried, and stores none", async () => {
    const member = await admit(stack, "processor", "Curious Processor");
    expect(stack.config.webhooks).toEqual({ allowHttp: false, allowLoopback: false, maxPerMember: 10 });
    for (const { url } of SSRF_URLS) {
      for (const spelling of [url, url.replace(/^http:/, "https:")]) {
        const reply = await member.api.post("/v1/webhooks", { url: spelling, events: ["payment.settled"] });
        expect(reply.status, spelling).toBe(400);
        expect(reply.body.error.code, spelling).toBe("RC_WEBHOOK_URL_BLOCKED");
      }
    }
    expect(await subscriptions(member.id)).toBe(0);
  });

  it("takes only https outside development", async () => {
    const member = await admit(stack, "processor", "Plain Processor");
    const reply = await member.api.post("/v1/webhooks", { url: "http://93.184.215.14/hook", events: ["payment.settled"] });
    expect(reply.status).toBe(400);
    expect(reply.body.error).toEqual({ code: "RC_WEBHOOK_URL_INVALID", message: "url must use https" });
    expect((await member.api.post("/v1/webhooks", { url: "https://93.184.215.14/hook", events: ["payment.settled"] })).status).toBe(201);
  });

  it("caps a member's subscriptions: the eleventh is refused, and a deleted one frees a place", async () => {
    const member = await admit(stack, "processor", "Busy Processor");
    const subscribe = (i: number) => member.api.post("/v1/webhooks", { url: `https://93.184.215.14/hook/${i}`, events: ["payment.settled"] });
    const created = [];
    for (let i = 0; i < 10; i++) created.push(await subscribe(i));
    expect(created.map((r) => r.status)).toEqual(Array(10).fill(201));
    const eleventh = await subscribe(10);
    expect(eleventh.status).toBe(409);
    expect(eleventh.body.error.code).toBe("RC_WEBHOOK_LIMIT");
    expect(await subscriptions(member.id)).toBe(10);
    const deleted = await stack.app.inject({ method: "DELETE", url: `/v1/webhooks/${created[0]!.body.id}`, headers: { authorization: `Bearer ${member.key}` } });
    expect(deleted.statusCode).toBe(204);
    // One place free and three subscriptions at once: one gets it.
    const raced = await Promise.all([subscribe(11), subscribe(12), subscribe(13)]);
    expect(raced.map((r) => r.status).sort()).toEqual([201, 409, 409]);
  });

  it("checks the address again at delivery, logs 'blocked_address' and never connects", async () => {
    const receiver = await startReceiver();
    const connection = new Redis(stack.config.redisUrl, { maxRetriesPerRequest: null });
    const worker = startWebhookWorker({ config: stack.config, sql: stack.sql, connection, pollMs: 100, backoffMs: 100, timeoutMs: 1_000, log: { info() {}, error() {} } });
    try {
      const member = await admit(stack, "processor", "Old Subscriber");
      // Rows as a subscription made before these checks (or a name whose DNS changed since) would leave them.
      const urls = [receiver.url("/inside"), "http://169.254.169.254/latest/meta-data/", "http://[::ffff:a9fe:a9fe]/"];
      const ids: number[] = [];
      for (const url of urls) {
        const [row] = await stack.sql<{ id: number }[]>`
          insert into webhook_subscriptions (member_id, url, events, secret)
          values (${member.id}, ${url}, ${stack.sql.array(["lot.confirmed"])}, 'whsec_test') returning id::int`;
        ids.push(row!.id);
      }
      await recordWebhookEvent(stack.sql, { type: "lot.confirmed", payload: { lotId: 1 }, memberIds: [member.id] });
      for (const id of ids) {
        const log = await eventually(() => member.api.get(`/v1/webhooks/${id}/deliveries`), (r) => r.body.deliveries?.length >= 1);
        expect(log.body.deliveries).toEqual([expect.objectContaining({ attempt: 1, statusCode: null, error: "blocked_address" })]);
      }
      // Not retried: a blocked address stays blocked.
      await new Promise((resolve) => setTimeout(resolve, 500));
      const [row] = await stack.sql<{ attempts: number }[]>`
        select count(*)::int as attempts from webhook_deliveries where subscription_id = any(${stack.sql.array(ids.map(String))}::bigint[])`;
      expect(row!.attempts).toBe(3);
      expect(receiver.at("/inside")).toEqual([]);
    } finally {
      await worker.close();
      await connection.quit();
      await receiver.close();
    }
  });
});
