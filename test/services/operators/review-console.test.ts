import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { client } from "../../support/client.js";
import { dropOff, eventually, recyclingScene } from "../../support/earn-fixtures.js";
import { stagePendingEvents } from "../../support/stage-events.js";
import { startStack, type Stack } from "../../support/stack.js";
import { undeliveredUrl } from "../../support/webhook-receiver.js";

/** Issue 13, the Review tab's routes: held events decided in bulk with one reason, and the list of reversals. */
let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(() => stack?.close());

const admin = () => client(stack.app, stack.adminKey);
const statusOf = async (id: number) => (await stack.sql`select status from events where id = ${id}`)[0]?.status;
const auditOf = (ids: number[]) =>
  stack.sql`select subject, action, before, after from audit_log where subject = any(${ids.map((id) => `event:${id}`)}) order by id`;

describe("bulk review of held events", () => {
  it("approves the held ids and reports the others, each decision audited, one bad id never stopping its neighbours", async () => {
    const scene = await recyclingScene(stack, { perEvent: "10" });
    const [first, second] = [await dropOff(scene, 5_000), await dropOff(scene, 6_000)];
    const minted = await dropOff(scene, 1_000);
    expect([first.status, second.status, minted.status]).toEqual(["held", "held", "pending"]);

    const reply = await admin().post("/v1/events/review", { action: "approve", ids: [first.id, minted.id, 999999999, second.id], reason: "weighed twice" });
    expect(reply.status, JSON.stringify(reply.body)).toBe(200);
    expect(reply.body).toEqual({
      action: "approve",
      results: [
        { id: first.id, outcome: "approved" },
        { id: minted.id, outcome: "not_held", code: "RC_EVENT_NOT_HELD", message: expect.stringContaining("not held") },
        { id: 999999999, outcome: "not_found", code: "RC_EVENT_NOT_FOUND", message: expect.any(String) },
        { id: second.id, outcome: "approved" },
      ],
    });
    const after = { status: "pending", reason: "weighed twice" };
    expect(await auditOf([first.id, second.id, minted.id])).toEqual([
      { subject: `event:${first.id}`, action: "event.approve", before: { status: "held" }, after },
      { subject: `event:${second.id}`, action: "event.approve", before: { status: "held" }, after },
    ]);
    for (const id of [first.id, second.id]) {
      await eventually(() => scene.point.api.get(`/v1/collections/${id}`), (r) => r.body.status === "confirmed");
    }
    // Twice: nothing is held any more, and nothing more is logged.
    const again = await admin().post("/v1/events/review", { action: "approve", ids: [first.id], reason: "again" });
    expect(again.body.results).toMatchObject([{ id: first.id, outcome: "not_held" }]);
    expect(await auditOf([first.id])).toHaveLength(1);
  });

  it("rejects only held events, with the reason required, and tells the issuer as the single reject does", async () => {
    const scene = await recyclingScene(stack, { perEvent: "10" });
    const hooked = await scene.point.api.post("/v1/webhooks", { url: undeliveredUrl("/bulk-rejected"), events: ["credit.rejected"] });
    expect(hooked.status).toBe(201);
    const held = await dropOff(scene, 5_000);
    const [failed] = await stagePendingEvents(stack.sql, { programId: scene.program.id, issuerId: scene.point.id, beneficiary: scene.collector.address, credits: [1n] });
    await stack.sql`update events set status = 'failed', failure_code = 'RC_ARITHMETIC_OVERFLOW' where id = ${String(failed)}`;

    for (const body of [
      { action: "reject", ids: [held.id] },
      { action: "reject", ids: [held.id], reason: "" },
      { action: "reject", ids: [held.id], reason: "x".repeat(501) },
      { action: "reject", ids: [], reason: "none" },
      { action: "reject", ids: [held.id, held.id], reason: "twice" },
      { action: "reject", ids: [0], reason: "zero" },
      { action: "reject", ids: ["abc"], reason: "text" },
      { action: "delete", ids: [held.id], reason: "no such action" },
      { action: "reject", ids: [held.id], reason: "extra", extra: 1 },
    ]) {
      const refused = await admin().post("/v1/events/review", body);
      expect([refused.status, /^RC_/.test(refused.body.error?.code)], JSON.stringify(body)).toEqual([400, true]);
    }
    expect(await statusOf(held.id)).toBe("held");

    const reply = await admin().post("/v1/events/review", { action: "reject", ids: [Number(failed), held.id], reason: "not ours" });
    expect(reply.status, JSON.stringify(reply.body)).toBe(200);
    expect(reply.body.results).toEqual([
      { id: Number(failed), outcome: "not_held", code: "RC_EVENT_NOT_HELD", message: expect.stringContaining("is failed") },
      { id: held.id, outcome: "rejected" },
    ]);
    expect([await statusOf(held.id), await statusOf(Number(failed))]).toEqual(["rejected", "failed"]);
    expect(await auditOf([held.id, Number(failed)])).toEqual([
      { subject: `event:${held.id}`, action: "event.reject", before: { status: "held" }, after: { status: "rejected", reason: "not ours" } },
    ]);
    const hooks = await stack.sql`select payload from webhook_events where type = 'credit.rejected' and (payload->>'eventId')::bigint = ${held.id}`;
    expect(hooks.map((h) => h.payload)).toMatchObject([{ eventId: held.id, reason: "not ours" }]);
  });

  it("takes at most 200 ids, and only from an admin", async () => {
    const scene = await recyclingScene(stack, { perEvent: "10" });
    const held = await dropOff(scene, 5_000);
    const unknown = (n: number) => Array.from({ length: n }, (_, i) => 900_000_000 + i);
    const tooMany = await admin().post("/v1/events/review", { action: "approve", ids: [held.id, ...unknown(200)], reason: "all" });
    expect([tooMany.status, tooMany.body.error.code]).toEqual([400, "RC_VALIDATION"]);
    expect(await statusOf(held.id)).toBe("held");
    const most = await admin().post("/v1/events/review", { action: "approve", ids: unknown(200), reason: "all" });
    expect(most.status).toBe(200);
    expect(most.body.results.filter((r: { outcome: string }) => r.outcome === "not_found")).toHaveLength(200);

    const body = { action: "approve", ids: [held.id], reason: "mine" };
    expect((await scene.point.api.post("/v1/events/review", body)).status).toBe(403);
    expect((await client(stack.app).post("/v1/events/review", body)).status).toBe(401);
    expect(await statusOf(held.id)).toBe("held");
  });
});

describe("the list of reversals", () => {
  it("pages the reversals newest first, by program and status, failed attempts with their reason, for an admin only", async () => {
    const scene = await recyclingScene(stack);
    const other = await recyclingScene(stack);
    const credits = [await dropOff(scene, 2_000), await dropOff(scene, 3_000), await dropOff(other, 1_000)];
    for (const credit of credits) {
      await eventually(() => stack.sql`select status from events where id = ${credit.id}`, (rows) => rows[0]?.status === "confirmed");
    }
    const reversed = await admin().post(`/v1/events/${credits[0]!.id}/reverse`, { reason: "scale misread" });
    expect(reversed.status, JSON.stringify(reversed.body)).toBe(200);
    // An attempt the token refused, as the operator leaves it: its event may be reversed again.
    const [refused] = await stack.sql<{ id: bigint }[]>`
      insert into reversals (event_id, program_id, holder, reason, requested_by, amount, status, failure_reason)
      select id, program_id, beneficiary, 'duplicate ticket', issuer_id, credit, 'failed', 'RewardTokenUnknownCredit'
      from events where id = ${credits[1]!.id} returning id`;
    expect((await admin().post(`/v1/events/${credits[2]!.id}/reverse`, { reason: "elsewhere" })).status).toBe(200);

    const first = await admin().get(`/v1/reversals?programId=${scene.program.id}&limit=1`);
    expect(first.status, JSON.stringify(first.body)).toBe(200);
    expect(first.body.items).toMatchObject([
      { id: Number(refused!.id), eventId: credits[1]!.id, status: "failed", failureReason: "RewardTokenUnknownCredit", reason: "duplicate ticket" },
    ]);
    const second = await admin().get(`/v1/reversals?programId=${scene.program.id}&limit=1&cursor=${first.body.next}`);
    expect(second.body).toEqual({
      items: [{ ...reversed.body, status: expect.stringMatching(/^(included|confirmed)$/), failureReason: null }],
      next: null,
    });
    const failed = await admin().get(`/v1/reversals?status=failed&programId=${scene.program.id}`);
    expect(failed.body.items.map((r: { id: number }) => r.id)).toEqual([Number(refused!.id)]);
    const everywhere = await admin().get("/v1/reversals?limit=500");
    expect(everywhere.body.items.map((r: { eventId: number }) => r.eventId).slice(0, 3)).toEqual([credits[2]!.id, credits[1]!.id, credits[0]!.id]);

    for (const query of ["status=lost", "programId=0", "cursor=abc", "limit=0", "limit=501", "colour=red"]) {
      const bad = await admin().get(`/v1/reversals?${query}`);
      expect([bad.status, /^RC_/.test(bad.body.error.code)], query).toEqual([400, true]);
    }
    expect((await scene.point.api.get("/v1/reversals")).status).toBe(403);
    expect((await client(stack.app).get("/v1/reversals")).status).toBe(401);
  });
});
