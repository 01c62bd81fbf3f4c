import { Wallet } from "ethers";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MEMBER_KINDS } from "../../../services/db/members.js";
import { client } from "../../support/client.js";
import { admit, eventually, idempotencyKey, recyclingScene } from "../../support/earn-fixtures.js";
import { stagePendingEvents } from "../../support/stage-events.js";
import { startStack, type Stack } from "../../support/stack.js";
import { undeliveredUrl } from "../../support/webhook-receiver.js";

/** The admin's triage of events that are not minted: failed and stuck ones listed, retried, rejected. */
let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(() => stack?.close());

type Scene = Awaited<ReturnType<typeof recyclingScene>>;

/** Failed rows as the batcher leaves them (its own tests show it doing so), for the routes to work on. */
async function stageFailed(scene: Scene, credits: bigint[]) {
  const ids = await stagePendingEvents(stack.sql, {
    programId: scene.program.id,
    issuerId: scene.point.id,
    beneficiary: scene.collector.address,
    credits,
  });
  await stack.sql`
    update events set status = 'failed', failure_code = 'RC_ARITHMETIC_OVERFLOW', failure_reason = 'arithmetic overflow (Panic 0x11)',
      failed_at = now() where id = any(${stack.sql.array(ids.map(String))}::bigint[])`;
  return ids.map(Number);
}

/** Backdates an event's last change: stuck without waiting ten minutes. */
const age = (id: number, minutes: number) =>
  stack.sql`update events set updated_at = now() - make_interval(mins => ${minutes}) where id = ${id}`;

/** Pauses or unpauses the scene's token as the operator does, from its console's route. */
async function setPaused(scene: Scene, what: "pause" | "unpause") {
  expect((await scene.admin.post(`/v1/programs/${scene.program.id}/${what}`, {})).status).toBe(200);
}

describe("admin triage of events", () => {
  it("lists failed events by program a page at a time and retries one into a mint", async () => {
    const scene = await recyclingScene(stack);
    const other = await recyclingScene(stack);
    // Credits that fit: failed for a cause since removed, so the retry mints them.
    const ids = await stageFailed(scene, [10n ** 18n, 2n * 10n ** 18n, 3n * 10n ** 18n]);
    await stageFailed(other, [1n]);
    const first = await scene.admin.get(`/v1/events/failed?programId=${scene.program.id}&limit=2`);
    expect(first.status, JSON.stringify(first.body)).toBe(200);
    expect(first.body.events.map((e: { id: number }) => e.id)).toEqual(ids.slice(0, 2));
    expect(first.body.events[0]).toMatchObject({ status: "failed", failureCode: "RC_ARITHMETIC_OVERFLOW", tokens: "1" });
    expect(first.body.next).toBe(ids[1]);
    const second = await scene.admin.get(`/v1/events/failed?programId=${scene.program.id}&limit=2&after=${first.body.next}`);
    expect(second.body).toEqual({ events: [expect.objectContaining({ id: ids[2] })], next: null });
    expect((await scene.admin.get("/v1/events/failed")).body.events).toHaveLength(4);

    const retried = await scene.admin.post(`/v1/events/${ids[0]}/retry`, { reason: "cap raised" });
    expect(retried.status, JSON.stringify(retried.body)).toBe(200);
    expect(retried.body).toMatchObject({ status: "pending", reviewNote: "cap raised" });
    expect(retried.body.failureCode).toBeUndefined();
    const [audit] = await stack.sql`select action, before, after from audit_log where subject = ${`event:${ids[0]}`}`;
    expect(audit).toEqual({ action: "event.retry", before: { status: "failed" }, after: { status: "pending", reason: "cap raised" } });
    await eventually(() => scene.point.api.get(`/v1/collections/${ids[0]}`), (r) => r.body.status === "confirmed");
    expect(await stack.chain.token(scene.program.token).balanceOf(scene.collector.address)).toBe(10n ** 18n);

    const again = await scene.admin.post(`/v1/events/${ids[0]}/retry`, { reason: "twice" });
    expect([again.status, again.body.error.code]).toEqual([409, "RC_EVENT_NOT_FAILED"]);
    const missing = await scene.admin.post("/v1/events/999999999/retry", { reason: "none" });
    expect([missing.status, missing.body.error.code]).toEqual([404, "RC_EVENT_NOT_FOUND"]);
    for (const body of [{}, { reason: "" }, { reason: "x", extra: 1 }]) {
      expect((await scene.admin.post(`/v1/events/${ids[1]}/retry`, body)).status).toBe(400);
    }
    for (const query of ["limit=0", "limit=501", "programId=abc", "after=-1", "colour=red"]) {
      expect((await scene.admin.get(`/v1/events/failed?${query}`)).status, query).toBe(400);
    }
    expect((await scene.admin.get("/v1/events/stuck?olderThanMinutes=0")).status).toBe(400);
    // Nothing above changed the events it refused.
    expect((await scene.admin.get(`/v1/events/failed?programId=${scene.program.id}`)).body.events).toHaveLength(2);
  });

  it("lists stuck events and rejects a stuck pending one with a reason and a webhook, never one that may be on chain", async () => {
    const scene = await recyclingScene(stack);
    const hooked = await scene.point.api.post("/v1/webhooks", { url: undeliveredUrl("/rejected"), events: ["credit.rejected"] });
    expect(hooked.status).toBe(201);
    // A paused token keeps its program's events pending.
    await setPaused(scene, "pause");
    const [doomed, kept] = await stagePendingEvents(stack.sql, {
      programId: scene.program.id,
      issuerId: scene.point.id,
      beneficiary: scene.collector.address,
      credits: [7n, 8n],
    });
    for (const body of [{}, { reason: "" }, { reason: "x".repeat(501) }]) {
      expect((await scene.admin.post(`/v1/events/${doomed}/reject`, body)).status).toBe(400);
    }
    const missing = await scene.admin.post("/v1/events/999999999/reject", { reason: "none" });
    expect([missing.status, missing.body.error.code]).toEqual([404, "RC_EVENT_NOT_FOUND"]);
    const early = await scene.admin.post(`/v1/events/${doomed}/reject`, { reason: "lost" });
    expect([early.status, early.body.error.code]).toEqual([409, "RC_EVENT_NOT_STUCK"]);
    await age(Number(doomed), 20);
    await age(Number(kept), 20);
    const stuck = await scene.admin.get(`/v1/events/stuck?programId=${scene.program.id}`);
    expect(stuck.body.events.map((e: { id: number }) => e.id)).toEqual([Number(doomed), Number(kept)]);
    expect((await scene.admin.get(`/v1/events/stuck?programId=${scene.program.id}&olderThanMinutes=30`)).body.events).toEqual([]);

    const rejected = await scene.admin.post(`/v1/events/${doomed}/reject`, { reason: "token retired" });
    expect(rejected.status, JSON.stringify(rejected.body)).toBe(200);
    expect(rejected.body).toMatchObject({ status: "rejected", reviewNote: "token retired" });
    const [hook] = await stack.sql`select payload, member_ids from webhook_events where type = 'credit.rejected'`;
    expect(hook).toMatchObject({ payload: { eventId: Number(doomed), reason: "token retired", tokens: "0.000000000000000007" }, member_ids: [BigInt(scene.point.id)] });
    const twice = await scene.admin.post(`/v1/events/${doomed}/reject`, { reason: "again" });
    expect([twice.status, twice.body.error.code]).toEqual([409, "RC_EVENT_NOT_REJECTABLE"]);

    // Submitted: a transaction carries it and may still mine. Refused, and left as it is.
    const [sent] = await stagePendingEvents(stack.sql, { programId: scene.program.id, issuerId: scene.point.id, beneficiary: scene.collector.address, credits: [9n] });
    await stack.sql`update events set status = 'submitted', tx_hash = ${`0x${"ab".repeat(32)}`}, updated_at = now() - interval '1 hour' where id = ${String(sent)}`;
    expect((await scene.admin.get(`/v1/events/stuck?programId=${scene.program.id}`)).body.events.map((e: { id: number }) => e.id)).toContain(Number(sent));
    const onChain = await scene.admin.post(`/v1/events/${sent}/reject`, { reason: "lost" });
    expect([onChain.status, onChain.body.error.code]).toEqual([409, "RC_EVENT_ON_CHAIN"]);
    expect((await scene.point.api.get(`/v1/collections/${sent}`)).body.status).toBe("submitted");
    await stack.sql`update events set status = 'rejected' where id = ${String(sent)}`; // out of the way of the batcher

    await setPaused(scene, "unpause");
    await eventually(() => scene.point.api.get(`/v1/collections/${kept}`), (r) => r.body.status === "confirmed");
    expect(await stack.chain.token(scene.program.token).isCredited(doomed!)).toBe(false);
    expect(await stack.chain.token(scene.program.token).balanceOf(scene.collector.address)).toBe(8n);
  });

  it("never rejects an event the token has credited, whatever its row says", async () => {
    const scene = await recyclingScene(stack);
    const reply = await scene.point.api.post(
      "/v1/collections",
      { programId: scene.program.id, collector: scene.collector.address, material: "PET", grams: 1_000 },
      idempotencyKey(),
    );
    await eventually(() => scene.point.api.get(`/v1/collections/${reply.body.id}`), (r) => r.body.status === "confirmed");
    // As if a batch had mined after its events were failed (or returned to pending): the row is behind the chain.
    await stack.sql`update events set status = 'failed', failure_code = 'RC_MINT_REVERTED' where id = ${reply.body.id}`;
    const refused = await scene.admin.post(`/v1/events/${reply.body.id}/reject`, { reason: "mistake" });
    expect([refused.status, refused.body.error.code]).toEqual([409, "RC_EVENT_ON_CHAIN"]);
    expect((await scene.point.api.get(`/v1/collections/${reply.body.id}`)).body.status).toBe("failed");
  });

  it("answers only admins: 401 without a key, 403 for every other member kind", async () => {
    const scene = await recyclingScene(stack);
    const [id] = await stageFailed(scene, [1n]);
    const routes = [
      ["GET", "/v1/events/failed"],
      ["GET", "/v1/events/stuck"],
      ["POST", `/v1/events/${id}/retry`],
      ["POST", `/v1/events/${id}/reject`],
    ] as const;
    const call = (api: ReturnType<typeof client>, [method, url]: (typeof routes)[number]) =>
      method === "GET" ? api.get(url) : api.post(url, { reason: "role check" });
    for (const route of routes) expect((await call(client(stack.app), route)).status, route[1]).toBe(401);
    for (const kind of MEMBER_KINDS.filter((k) => k !== "admin")) {
      const member = await admit(stack, kind, `Not an admin (${kind})`, kind === "collection_point" || kind === "brand" ? undefined : Wallet.createRandom().address);
      for (const route of routes) {
        const reply = await call(member.api, route);
        expect([reply.status, reply.body.error.code], `${kind} ${route[1]}`).toEqual([403, "RC_WRONG_ROLE"]);
      }
    }
    expect((await scene.point.api.get(`/v1/collections/${id}`)).body.status).toBe("failed");
    const admin = await admit(stack, "admin", "Second admin");
    expect((await call(admin.api, routes[0])).status).toBe(200);
  });
});
