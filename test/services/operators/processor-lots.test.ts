import { Wallet } from "ethers";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { admit, eventually, idempotencyKey, recyclingScene } from "../../support/earn-fixtures.js";
import { startStack, type Stack } from "../../support/stack.js";

/** Issue 13: processors hold a role per program, lots and confirmations check it, and an open lot can be cancelled. */
let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(() => stack?.close());

type Scene = Awaited<ReturnType<typeof recyclingScene>>;

async function dropOff(scene: Scene, grams = 1_000) {
  const reply = await scene.point.api.post(
    "/v1/collections",
    { programId: scene.program.id, collector: scene.collector.address, material: "PET", grams },
    idempotencyKey(),
  );
  expect(reply.status, JSON.stringify(reply.body)).toBe(202);
  await eventually(() => scene.point.api.get(`/v1/collections/${reply.body.id}`), (r) => r.body.status === "confirmed");
  return reply.body.id as number;
}

const lotOf = async (id: number) => (await stack.sql`select lot_id from events where id = ${id}`)[0]!.lot_id as bigint | null;
const del = (key: string, url: string) => stack.app.inject({ method: "DELETE", url, headers: { authorization: `Bearer ${key}` } });

describe("processors and their programs", () => {
  it("refuses a processor with no role in the program to group its drop-offs or confirm its lot", async () => {
    const scene = await recyclingScene(stack);
    const other = await recyclingScene(stack);
    const ids = [await dropOff(scene), await dropOff(scene)];
    // The finding: a processor of no program (or of another one) grouped this program's drop-offs and certified them.
    const stranger = await admit(stack, "processor", "Stranger Works", Wallet.createRandom().address);
    const elsewhere = await admit(stack, "processor", "Elsewhere Works", Wallet.createRandom().address);
    expect((await other.admin.post(`/v1/programs/${other.program.id}/members`, { memberId: elsewhere.id })).body.role).toBe("processor");
    for (const processor of [stranger, elsewhere]) {
      const refused = await processor.api.post("/v1/lots", { programId: scene.program.id, material: "PET", collectionIds: ids });
      expect([refused.status, refused.body.error.code]).toEqual([403, "RC_NOT_PROGRAM_PROCESSOR"]);
    }
    expect(await lotOf(ids[0]!)).toBeNull();
    expect((await stack.sql`select count(*)::int as n from lots where program_id = ${scene.program.id}`)[0]!.n).toBe(0);

    // Granted through the program's members route, like issuers and acceptors: then it may.
    const granted = await scene.admin.post(`/v1/programs/${scene.program.id}/members`, { memberId: stranger.id });
    expect([granted.status, granted.body.role, granted.body.txHash]).toEqual([201, "processor", null]);
    expect((await stranger.api.get("/v1/members/me")).body.programs).toEqual([{ programId: scene.program.id, role: "processor" }]);
    const lot = await stranger.api.post("/v1/lots", { programId: scene.program.id, material: "PET", collectionIds: ids });
    expect(lot.status, JSON.stringify(lot.body)).toBe(201);

    // Revoked: the open lot can no longer be confirmed by it.
    const revoked = await del(stack.adminKey, `/v1/programs/${scene.program.id}/members/${stranger.id}`);
    expect([revoked.statusCode, revoked.json().role]).toEqual([200, "processor"]);
    const confirm = await stranger.api.post(`/v1/lots/${lot.body.id}/confirm`, {});
    expect([confirm.status, confirm.body.error.code]).toEqual([403, "RC_NOT_PROGRAM_PROCESSOR"]);
    expect((await stranger.api.get(`/v1/lots/${lot.body.id}`)).body.status).toBe("open");
    const again = await stranger.api.post("/v1/lots", { programId: scene.program.id, material: "PET", collectionIds: [await dropOff(scene)] });
    expect(again.status).toBe(403);
  });

  it("grants a processor only in recycling programs, and answers a repeated grant with 200", async () => {
    const scene = await recyclingScene(stack);
    const processor = await admit(stack, "processor", "Repeat Works");
    expect((await scene.admin.post(`/v1/programs/${scene.program.id}/members`, { memberId: processor.id })).status).toBe(201);
    expect((await scene.admin.post(`/v1/programs/${scene.program.id}/members`, { memberId: processor.id })).status).toBe(200);
    const loyalty = await scene.admin.post("/v1/programs", { name: "Cafe", symbol: "CAF", kind: "loyalty", rules: { events: { purchase: { perUnit: "1" } } } });
    expect(loyalty.status, JSON.stringify(loyalty.body)).toBe(201);
    const refused = await scene.admin.post(`/v1/programs/${loyalty.body.id}/members`, { memberId: processor.id });
    expect([refused.status, refused.body.error.code]).toEqual([400, "RC_MEMBER_KIND_NOT_GRANTABLE"]);
  });
});

describe("cancelling a lot", () => {
  async function lotScene() {
    const scene = await recyclingScene(stack);
    const processor = await admit(stack, "processor", "Cancel Works", Wallet.createRandom().address);
    expect((await scene.admin.post(`/v1/programs/${scene.program.id}/members`, { memberId: processor.id })).status).toBe(201);
    return { ...scene, processor };
  }

  it("lets the processor cancel its open lot, freeing its drop-offs for another lot, once", async () => {
    const scene = await lotScene();
    const ids = [await dropOff(scene), await dropOff(scene, 500)];
    const lot = await scene.processor.api.post("/v1/lots", { programId: scene.program.id, material: "PET", collectionIds: ids });
    const rival = await admit(stack, "processor", "Rival Works");
    expect((await rival.api.post(`/v1/lots/${lot.body.id}/cancel`)).status).toBe(404);
    expect((await scene.point.api.post(`/v1/lots/${lot.body.id}/cancel`)).status).toBe(403);
    expect((await scene.processor.api.post("/v1/lots/999999999/cancel")).status).toBe(404);
    expect(await lotOf(ids[0]!)).toBe(BigInt(lot.body.id));

    const cancelled = await scene.processor.api.post(`/v1/lots/${lot.body.id}/cancel`);
    expect(cancelled.status, JSON.stringify(cancelled.body)).toBe(200);
    expect(cancelled.body).toMatchObject({ id: lot.body.id, status: "cancelled", collectionIds: ids });
    expect(await lotOf(ids[0]!)).toBeNull();
    const twice = await scene.processor.api.post(`/v1/lots/${lot.body.id}/cancel`);
    expect([twice.status, twice.body.error.code]).toEqual([409, "RC_LOT_NOT_OPEN"]);
    const confirm = await scene.processor.api.post(`/v1/lots/${lot.body.id}/confirm`, {});
    expect([confirm.status, confirm.body.error.code]).toEqual([409, "RC_LOT_CANCELLED"]);
    const regrouped = await scene.processor.api.post("/v1/lots", { programId: scene.program.id, material: "PET", collectionIds: ids });
    expect(regrouped.status, JSON.stringify(regrouped.body)).toBe(201);

    const [entry] = await stack.sql`select actor_id, action, subject, before, after from audit_log where subject = ${`lot:${lot.body.id}`}`;
    expect(entry).toMatchObject({
      actor_id: BigInt(scene.processor.id),
      action: "lot.cancel",
      before: { status: "open", collectionIds: ids.map(String) },
      after: { status: "cancelled" },
    });
  });

  it("lets an admin cancel any open lot, never a confirmed one", async () => {
    const scene = await lotScene();
    const open = await scene.processor.api.post("/v1/lots", { programId: scene.program.id, material: "PET", collectionIds: [await dropOff(scene)] });
    const byAdmin = await scene.admin.post(`/v1/lots/${open.body.id}/cancel`);
    expect([byAdmin.status, byAdmin.body.status]).toEqual([200, "cancelled"]);

    const done = await scene.processor.api.post("/v1/lots", { programId: scene.program.id, material: "PET", collectionIds: [await dropOff(scene)] });
    expect((await scene.processor.api.post(`/v1/lots/${done.body.id}/confirm`, {})).status).toBe(200);
    const refused = await scene.admin.post(`/v1/lots/${done.body.id}/cancel`);
    expect([refused.status, refused.body.error.code]).toEqual([409, "RC_LOT_NOT_OPEN"]);
    expect((await scene.admin.get(`/v1/lots/${done.body.id}`)).body.status).toBe("confirmed");
  });

  it("lists lots newest first, a processor's own only, by status", async () => {
    const scene = await lotScene();
    const made = [];
    for (let i = 0; i < 3; i++) {
      made.push((await scene.processor.api.post("/v1/lots", { programId: scene.program.id, material: "PET", collectionIds: [await dropOff(scene)] })).body.id);
    }
    await scene.processor.api.post(`/v1/lots/${made[0]}/cancel`);
    const first = await scene.processor.api.get("/v1/lots?limit=2");
    expect(first.status, JSON.stringify(first.body)).toBe(200);
    expect(first.body.items.map((l: { id: number }) => l.id)).toEqual([made[2], made[1]]);
    const second = await scene.processor.api.get(`/v1/lots?limit=2&cursor=${first.body.next}`);
    expect(second.body).toMatchObject({ items: [{ id: made[0], status: "cancelled" }], next: null });
    expect((await scene.processor.api.get("/v1/lots?status=cancelled")).body.items.map((l: { id: number }) => l.id)).toEqual([made[0]]);
    const rival = await admit(stack, "processor", "Rival Lister");
    expect((await rival.api.get("/v1/lots")).body).toEqual({ items: [], next: null });
    expect((await scene.admin.get(`/v1/lots?programId=${scene.program.id}`)).body.items).toHaveLength(3);
    for (const query of ["cursor=abc", "limit=0", "status=lost", "programId=x", "colour=red"]) {
      const bad = await scene.admin.get(`/v1/lots?${query}`);
      expect([bad.status, bad.body.error.code.startsWith("RC_")], query).toEqual([400, true]);
    }
  });

  it("lists the drop-offs a lot may take, by point and time, only to a processor of the program", async () => {
    const scene = await recyclingScene(stack);
    const otherPoint = await admit(stack, "collection_point", "Point Muara");
    expect((await scene.admin.post(`/v1/programs/${scene.program.id}/members`, { memberId: otherPoint.id })).status).toBe(201);
    await otherPoint.api.post("/v1/collectors", { address: Wallet.createRandom().address, displayName: "Budi" });
    const [first, second] = [await dropOff(scene, 1_000), await dropOff(scene, 2_000)];
    const since = new Date().toISOString();
    const third = await dropOff(scene, 3_000);
    const elsewhere = await otherPoint.api.post(
      "/v1/collections",
      { programId: scene.program.id, collector: scene.collector.address, material: "PET", grams: 500 },
      idempotencyKey(),
    );
    await eventually(() => otherPoint.api.get(`/v1/collections/${elsewhere.body.id}`), (r) => r.body.status === "confirmed");
    const processor = await admit(stack, "processor", "Candidates Works", Wallet.createRandom().address);
    const url = (extra: string) => `/v1/lots/candidates?programId=${scene.program.id}&material=PET${extra}`;
    expect((await processor.api.get(url(""))).status).toBe(403);
    expect((await scene.admin.post(`/v1/programs/${scene.program.id}/members`, { memberId: processor.id })).status).toBe(201);

    const ids = async (extra: string) => ((await processor.api.get(url(extra))).body.items as { id: number }[]).map((c) => c.id);
    expect(await ids("")).toEqual([elsewhere.body.id, third, second, first]);
    expect(await ids(`&pointId=${scene.point.id}`)).toEqual([third, second, first]);
    expect(await ids(`&pointId=${scene.point.id}&since=${encodeURIComponent(since)}`)).toEqual([third]);
    const hdpe = await processor.api.get(`/v1/lots/candidates?programId=${scene.program.id}&material=HDPE`);
    expect([hdpe.status, hdpe.body.items]).toEqual([200, []]);
    // A drop-off in a lot is no longer a candidate.
    const lot = await processor.api.post("/v1/lots", { programId: scene.program.id, material: "PET", collectionIds: [first, second] });
    expect(lot.status, JSON.stringify(lot.body)).toBe(201);
    expect(await ids(`&pointId=${scene.point.id}`)).toEqual([third]);
    const bad = await processor.api.get(url("&since=0000-01-01T00:00:00Z"));
    expect([bad.status, bad.body.error.code.startsWith("RC_")]).toEqual([400, true]);
  });
});
