import { Wallet } from "ethers";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { client } from "../../support/client.js";
import { admit, eventually, idempotencyKey, recyclingScene } from "../../support/earn-fixtures.js";
import { paymentScene, signPayment } from "../../support/payment-fixtures.js";
import { startStack, type Stack } from "../../support/stack.js";
import { undeliveredUrl } from "../../support/webhook-receiver.js";

/** Issue 13: the audit log of admin actions (append-only, listed and exported) and the console's list routes. */
let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(() => stack?.close());

const admin = () => client(stack.app, stack.adminKey);
type Scene = Awaited<ReturnType<typeof recyclingScene>>;

async function heldDropOff(scene: Scene) {
  const reply = await scene.point.api.post(
    "/v1/collections",
    { programId: scene.program.id, collector: scene.collector.address, material: "PET", grams: 5_000 },
    idempotencyKey(),
  );
  expect(reply.body.status).toBe("held");
  return reply.body.id as number;
}

describe("the audit log", () => {
  it("records approve, reject and reverse with who, before and after, in the decision's transaction", async () => {
    const scene = await recyclingScene(stack, { perEvent: "10" });
    const [approved, rejected] = [await heldDropOff(scene), await heldDropOff(scene)];
    expect((await admin().post(`/v1/events/${approved}/approve`, { reason: "weighed twice" })).status).toBe(200);
    expect((await admin().post(`/v1/events/${rejected}/reject`, { reason: "not ours" })).status).toBe(200);
    // A refused decision changes nothing and logs nothing.
    expect((await admin().post(`/v1/events/${rejected}/approve`, { reason: "changed my mind" })).status).toBe(409);
    await eventually(() => scene.point.api.get(`/v1/collections/${approved}`), (r) => r.body.status === "confirmed");
    expect((await admin().post(`/v1/events/${approved}/reverse`, { reason: "scale misread" })).status).toBe(200);

    const me = (await admin().get("/v1/members/me")).body.id;
    const approvedLog = await admin().get(`/v1/audit?subject=event:${approved}`);
    expect(approvedLog.status, JSON.stringify(approvedLog.body)).toBe(200);
    expect(approvedLog.body.items).toMatchObject([
      { actorId: me, action: "event.reverse", after: { reason: "scale misread", amount: expect.any(String) } },
      { actorId: me, action: "event.approve", before: { status: "held" }, after: { status: "pending", reason: "weighed twice" } },
    ]);
    const rejectedLog = await admin().get(`/v1/audit?subject=event:${rejected}`);
    expect(rejectedLog.body.items).toMatchObject([{ action: "event.reject", before: { status: "held" }, after: { status: "rejected", reason: "not ours" } }]);
  });

  it("records a program's creation with who asked and the terms asked for, under the write that creates it", async () => {
    const me = (await admin().get("/v1/members/me")).body.id;
    const before = (await admin().get("/v1/audit?action=program.create&limit=500")).body.items.length;
    const scene = await recyclingScene(stack);
    const log = (await admin().get("/v1/audit?action=program.create&limit=500")).body.items;
    expect(log).toHaveLength(before + 1);
    expect(log[0]).toMatchObject({
      actorId: me,
      subject: expect.stringMatching(/^write:[0-9]+$/),
      before: null,
      after: { request: { name: scene.program.name, symbol: scene.program.symbol, rates: { PET: "2.5", HDPE: "2" } } },
    });
    const bySubject = await admin().get(`/v1/audit?subject=${log[0].subject}`);
    expect(bySubject.body.items).toHaveLength(1);
  });

  it("pages and filters the log, exports it as CSV, and refuses any update or delete", async () => {
    const made = [];
    for (let i = 0; i < 3; i++) made.push(await admit(stack, "sponsor", `=HYPERLINK("x") ${i}`, Wallet.createRandom().address));
    const first = await admin().get("/v1/audit?action=member.admit&limit=2");
    expect(first.body.items.map((e: { subject: string }) => e.subject)).toEqual([`member:${made[2]!.id}`, `member:${made[1]!.id}`]);
    const second = await admin().get(`/v1/audit?action=member.admit&limit=2&cursor=${first.body.next}`);
    expect(second.body.items[0].subject).toBe(`member:${made[0]!.id}`);
    const since = new Date(Date.now() + 60_000).toISOString();
    expect((await admin().get(`/v1/audit?since=${since}`)).body).toEqual({ items: [], next: null });
    const me = (await admin().get("/v1/members/me")).body.id;
    expect((await admin().get(`/v1/audit?actorId=${me}&limit=500`)).body.items.length).toBeGreaterThanOrEqual(3);

    const csv = await admin().get(`/v1/audit.csv?subject=member:${made[0]!.id}`);
    expect(csv.status).toBe(200);
    expect(csv.raw.headers["content-type"]).toMatch(/^text\/csv/);
    const lines = (csv.body as string).trimEnd().split("\r\n");
    expect(lines[0]).toBe("id,at,actor_id,action,subject,before,after");
    expect(lines).toHaveLength(2);
    expect(lines[1]).toContain(`"member.admit","member:${made[0]!.id}"`);
    // A name typed by a member cannot become a spreadsheet formula.
    expect(lines[1]).not.toMatch(/,"=/);

    for (const query of ["since=0000-01-01T00:00:00Z", "until=yesterday", "actorId=0", "action=DROP", "subject=x", "cursor=%00", "limit=1000", "x=1"]) {
      const bad = await admin().get(`/v1/audit?${query}`);
      expect([bad.status, /^RC_/.test(bad.body.error.code)], query).toEqual([400, true]);
    }
    expect((await admin().get("/v1/audit.csv?since=0000-01-01T00:00:00Z")).status).toBe(400);
    for (const member of [made[0]!]) {
      expect((await member.api.get("/v1/audit")).status).toBe(403);
      expect((await member.api.get("/v1/audit.csv")).status).toBe(403);
    }
    expect((await client(stack.app).get("/v1/audit")).status).toBe(401);

    await expect(stack.sql`update audit_log set action = 'member.forged'`).rejects.toThrow(/append-only/);
    await expect(stack.sql`delete from audit_log`).rejects.toThrow(/append-only/);
    await expect(stack.sql`truncate audit_log`).rejects.toThrow(/append-only/);
  });
});

describe("the console's lists", () => {
  it("lists held events for review by program and time, all for an admin and a point's own for it", async () => {
    const scene = await recyclingScene(stack, { perEvent: "10" });
    const other = await recyclingScene(stack, { perEvent: "10" });
    const held = [await heldDropOff(scene), await heldDropOff(scene)];
    await heldDropOff(other);
    const queue = await admin().get(`/v1/events?status=held&programId=${scene.program.id}&limit=1`);
    expect(queue.status, JSON.stringify(queue.body)).toBe(200);
    expect(queue.body.items).toMatchObject([{ id: held[1], status: "held", reasons: ["RC_OVER_EVENT_MAX"] }]);
    const rest = await admin().get(`/v1/events?status=held&programId=${scene.program.id}&limit=1&cursor=${queue.body.next}`);
    expect(rest.body).toMatchObject({ items: [{ id: held[0] }], next: null });
    const since = new Date(Date.now() - 60_000).toISOString();
    expect((await admin().get(`/v1/events?kind=collection&issuerId=${scene.point.id}&since=${since}`)).body.items).toHaveLength(2);
    expect((await admin().get(`/v1/events?programId=${scene.program.id}&until=${since}`)).body.items).toEqual([]);

    // The point's day list: its own events only, whatever it asks.
    const mine = await scene.point.api.get(`/v1/events?since=${since}`);
    expect(mine.body.items.map((e: { id: number }) => e.id)).toEqual([held[1], held[0]]);
    expect((await scene.point.api.get(`/v1/events?programId=${other.program.id}`)).body.items).toEqual([]);
    expect((await scene.point.api.get(`/v1/events?issuerId=${other.point.id}`)).status).toBe(403);
    for (const query of ["status=lost", "kind=gift", "since=0000-01-01T00:00:00Z", "since=2026-13-45T00:00:00Z", "cursor=abc", "programId=0"]) {
      const bad = await admin().get(`/v1/events?${query}`);
      expect([bad.status, /^RC_/.test(bad.body.error.code)], query).toEqual([400, true]);
    }
  });

  it("lists collectors: all for an admin, a point's registered ones for it", async () => {
    const scene = await recyclingScene(stack);
    const other = await recyclingScene(stack);
    const mine = await scene.point.api.get("/v1/collectors");
    expect(mine.body).toEqual({
      items: [expect.objectContaining({ address: scene.collector.address, displayName: "Sari", registeredBy: scene.point.id })],
      next: null,
    });
    const all = await admin().get(`/v1/collectors?registeredBy=${other.point.id}`);
    expect(all.body.items.map((c: { address: string }) => c.address)).toEqual([other.collector.address]);
    expect((await admin().get(`/v1/collectors?q=${scene.collector.address.slice(2, 12).toLowerCase()}`)).body.items).toHaveLength(1);
    expect((await scene.point.api.get(`/v1/collectors?registeredBy=${other.point.id}`)).status).toBe(403);
    for (const query of ["q=%00", "q=", "registeredBy=0", "cursor=%ff"]) expect((await admin().get(`/v1/collectors?${query}`)).status, query).toBe(400);
  });

  it("lists payments and redemptions: all for an admin, a retailer's own for it", async () => {
    const scene = await paymentScene(stack, 2);
    const paid = await client(stack.app).post("/v1/payments", (await signPayment(stack, scene.collector, scene.program, scene.retailerWallet.address, "1")).body);
    expect(paid.status, JSON.stringify(paid.body)).toBe(202);
    const own = await scene.retailer.api.get("/v1/payments");
    expect(own.status, JSON.stringify(own.body)).toBe(200);
    expect(own.body).toEqual({ items: [expect.objectContaining({ id: paid.body.id, value: "1" })], next: null });
    expect((await admin().get(`/v1/payments?programId=${scene.program.id}`)).body.items.map((p: { id: number }) => p.id)).toEqual([paid.body.id]);
    const stranger = await admit(stack, "retailer", "Other Shop", Wallet.createRandom().address);
    expect((await stranger.api.get("/v1/payments")).body).toEqual({ items: [], next: null });
    expect((await stranger.api.get("/v1/redemptions")).body).toEqual({ items: [], next: null });
    expect((await admin().get("/v1/redemptions?status=confirmed")).status).toBe(200);
    expect((await scene.point.api.get("/v1/payments")).status).toBe(403);
    expect((await admin().get("/v1/payments?status=lost")).status).toBe(400);
  });

  it("lists webhook deliveries: a member's own, every member's for an admin", async () => {
    const scene = await recyclingScene(stack);
    const hook = await scene.point.api.post("/v1/webhooks", { url: undeliveredUrl("/hook"), events: ["credit.confirmed"] });
    expect(hook.status).toBe(201);
    const [event] = await stack.sql`insert into webhook_events (type, payload, member_ids) values ('credit.confirmed', '{}', ${stack.sql.array([String(scene.point.id)])}::bigint[]) returning id`;
    await stack.sql`insert into webhook_deliveries (subscription_id, event_id, attempt, status_code, error, duration_ms, started_at)
      values (${hook.body.id}, ${event!.id}, 1, null, 'refused', 3, now()), (${hook.body.id}, ${event!.id}, 2, 200, null, 4, now())`;
    const own = await scene.point.api.get("/v1/webhooks/deliveries");
    expect(own.status, JSON.stringify(own.body)).toBe(200);
    expect(own.body.items.map((d: { attempt: number }) => d.attempt)).toEqual([2, 1]);
    expect((await scene.point.api.get("/v1/webhooks/deliveries?failed=true")).body.items).toMatchObject([{ attempt: 1, statusCode: null }]);
    expect((await admin().get(`/v1/webhooks/deliveries?memberId=${scene.point.id}&failed=false`)).body.items).toMatchObject([{ attempt: 2, memberId: scene.point.id }]);
    const other = await admit(stack, "collection_point", "Nosy Point");
    expect((await other.api.get("/v1/webhooks/deliveries")).body.items).toEqual([]);
    expect((await other.api.get(`/v1/webhooks/deliveries?memberId=${scene.point.id}`)).status).toBe(403);
  });
});
