import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { client } from "../../support/client.js";
import { admit, idempotencyKey, recyclingScene } from "../../support/earn-fixtures.js";
import { paymentScene, signPayment } from "../../support/payment-fixtures.js";
import { startStack, type Stack } from "../../support/stack.js";

/** Issue 13: an admin deactivates, reactivates and rotates members' keys and revokes program roles, each audited. */
let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(() => stack?.close());

const admin = () => client(stack.app, stack.adminKey);
const del = (url: string) => stack.app.inject({ method: "DELETE", url, headers: { authorization: `Bearer ${stack.adminKey}` } });
const auditOf = (subject: string) =>
  stack.sql`select actor_id as "actorId", action, before, after from audit_log where subject = ${subject} order by id`;
const adminId = async () => BigInt((await admin().get("/v1/members/me")).body.id);

describe("member administration", () => {
  it("deactivates a member (its key refused at once) and reactivates it, audited", async () => {
    const point = await admit(stack, "collection_point", "Lost Phone Point");
    expect((await point.api.get("/v1/members/me")).status).toBe(200);
    const off = await admin().post(`/v1/members/${point.id}/deactivate`);
    expect([off.status, off.body.active]).toEqual([200, false]);
    const refused = await point.api.get("/v1/members/me");
    expect([refused.status, refused.body.error.code]).toEqual([403, "RC_MEMBER_INACTIVE"]);
    expect((await admin().post(`/v1/members/${point.id}/deactivate`)).body.active).toBe(false);
    const on = await admin().post(`/v1/members/${point.id}/reactivate`);
    expect([on.status, on.body.active]).toEqual([200, true]);
    expect((await point.api.get("/v1/members/me")).status).toBe(200);

    const actorId = await adminId();
    expect(await auditOf(`member:${point.id}`)).toEqual([
      { actorId, action: "member.admit", before: null, after: { kind: "collection_point", name: "Lost Phone Point", address: null, active: true } },
      { actorId, action: "member.deactivate", before: { active: true }, after: { active: false } },
      { actorId, action: "member.reactivate", before: { active: false }, after: { active: true } },
    ]);
  });

  it("refuses to deactivate the calling admin, an unknown member, a bad id, and other kinds' keys, changing nothing", async () => {
    const me = await adminId();
    const self = await admin().post(`/v1/members/${me}/deactivate`);
    expect([self.status, self.body.error.code]).toEqual([409, "RC_SELF_DEACTIVATION"]);
    expect((await admin().post("/v1/members/999999999/deactivate")).body.error.code).toBe("RC_MEMBER_NOT_FOUND");
    expect((await admin().post("/v1/members/999999999/rotate-key")).status).toBe(404);
    for (const id of ["0", "abc", "-1", "1".repeat(17)]) expect((await admin().post(`/v1/members/${id}/deactivate`)).status, id).toBe(400);
    const point = await admit(stack, "collection_point", "Sly Point");
    const other = await admit(stack, "collection_point", "Victim Point");
    for (const path of ["deactivate", "reactivate", "rotate-key"]) {
      const reply = await point.api.post(`/v1/members/${other.id}/${path}`);
      expect([reply.status, reply.body.error.code]).toEqual([403, "RC_WRONG_ROLE"]);
      expect((await client(stack.app).post(`/v1/members/${other.id}/${path}`)).status).toBe(401);
    }
    expect((await other.api.get("/v1/members/me")).status).toBe(200);
    expect(await auditOf(`member:${me}`)).toEqual([]);
  });

  it("rotates a key: the new one shown once and working, the old one refused at once", async () => {
    const point = await admit(stack, "collection_point", "Rotating Point");
    const rotated = await admin().post(`/v1/members/${point.id}/rotate-key`);
    expect(rotated.status, JSON.stringify(rotated.body)).toBe(200);
    expect(rotated.raw.headers["cache-control"]).toBe("no-store");
    expect(rotated.body).toMatchObject({ id: point.id, kind: "collection_point", active: true });
    expect(rotated.body.apiKey).toMatch(/^rck_/);
    expect(rotated.body.apiKey).not.toBe(point.key);
    const old = await point.api.get("/v1/members/me");
    expect([old.status, old.body.error.code]).toEqual([401, "RC_UNAUTHORIZED"]);
    expect((await client(stack.app, rotated.body.apiKey).get("/v1/members/me")).body.id).toBe(point.id);
    const [entry] = await stack.sql`select before, after from audit_log where subject = ${`member:${point.id}`} and action = 'member.rotate-key'`;
    expect(entry).toEqual({ before: null, after: null });
    const text = (await stack.sql`select string_agg(concat_ws(' ', subject, before::text, after::text), ' ') as t from audit_log`)[0]!.t as string;
    expect(text).not.toContain(rotated.body.apiKey);
  });
});

describe("revoking a program role", () => {
  it("takes a point's right to issue away at once", async () => {
    const scene = await recyclingScene(stack);
    expect((await admin().get(`/v1/members/${scene.point.id}`)).body).toMatchObject({
      id: scene.point.id,
      kind: "collection_point",
      programs: [{ programId: scene.program.id, role: "issuer" }],
    });
    expect((await admin().get("/v1/members/999999999")).status).toBe(404);
    expect((await scene.point.api.get(`/v1/members/${scene.point.id}`)).status).toBe(403);
    const revoked = await del(`/v1/programs/${scene.program.id}/members/${scene.point.id}`);
    expect([revoked.statusCode, revoked.json()]).toEqual([200, { programId: scene.program.id, memberId: scene.point.id, role: "issuer", txHash: null }]);
    const refused = await scene.point.api.post(
      "/v1/collections",
      { programId: scene.program.id, collector: scene.collector.address, material: "PET", grams: 1000 },
      idempotencyKey(),
    );
    expect(refused.status, JSON.stringify(refused.body)).toBe(403);
    expect((await admin().get(`/v1/members/${scene.point.id}`)).body).toMatchObject({ id: scene.point.id, programs: [] });
    const twice = await del(`/v1/programs/${scene.program.id}/members/${scene.point.id}`);
    expect([twice.statusCode, twice.json().error.code]).toEqual([409, "RC_ROLE_NOT_HELD"]);
    expect((await del(`/v1/programs/999999999/members/${scene.point.id}`)).statusCode).toBe(404);
    expect((await del(`/v1/programs/${scene.program.id}/members/999999999`)).statusCode).toBe(404);
    expect((await del(`/v1/programs/x/members/1`)).statusCode).toBe(400);
    const [entry] = await auditOf(`program:${scene.program.id}:member:${scene.point.id}`).then((rows) => rows.filter((r) => r.action === "program.revoke"));
    expect(entry).toMatchObject({ before: { role: "issuer" }, after: null });
  });

  it("revokes a retailer's acceptance in the database and on chain: its next payment is refused; a new grant restores it", async () => {
    const scene = await paymentScene(stack, 2);
    const token = stack.chain.token(scene.program.token);
    const role = await token.ACCEPTOR_ROLE();
    expect(await token.hasRole(role, scene.retailerWallet.address)).toBe(true);
    const paid = await client(stack.app).post("/v1/payments", (await signPayment(stack, scene.collector, scene.program, scene.retailerWallet.address, "1")).body);
    expect(paid.status, JSON.stringify(paid.body)).toBe(202);

    const revoked = await del(`/v1/programs/${scene.program.id}/members/${scene.retailer.id}`);
    expect(revoked.statusCode, revoked.body).toBe(200);
    expect(revoked.json()).toMatchObject({ role: "acceptor", txHash: expect.stringMatching(/^0x[0-9a-f]{64}$/) });
    expect(await token.hasRole(role, scene.retailerWallet.address)).toBe(false);
    expect((await scene.retailer.api.get("/v1/members/me")).body.programs).toEqual([]);
    const refused = await client(stack.app).post("/v1/payments", (await signPayment(stack, scene.collector, scene.program, scene.retailerWallet.address, "1")).body);
    expect([refused.status, refused.body.error.code]).toEqual([400, "RC_PAYEE_NOT_ACCEPTOR"]);

    const regranted = await scene.admin.post(`/v1/programs/${scene.program.id}/members`, { memberId: scene.retailer.id });
    expect([regranted.status, regranted.body.role], JSON.stringify(regranted.body)).toEqual([201, "acceptor"]);
    expect(regranted.body.txHash).toMatch(/^0x/);
    expect(await token.hasRole(role, scene.retailerWallet.address)).toBe(true);
    const again = await del(`/v1/programs/${scene.program.id}/members/${scene.retailer.id}`);
    expect(again.statusCode, again.body).toBe(200);
    expect(again.json().txHash).not.toBe(revoked.json().txHash);
    expect(await token.hasRole(role, scene.retailerWallet.address)).toBe(false);
    const actions = (await auditOf(`program:${scene.program.id}:member:${scene.retailer.id}`)).map((r) => r.action);
    expect(actions).toEqual(["program.grant", "program.revoke", "program.grant", "program.revoke"]);
  });

  it("finishes on chain a retailer's revocation whose row is gone but whose token role is not", async () => {
    const scene = await paymentScene(stack, 1);
    const token = stack.chain.token(scene.program.token);
    const role = await token.ACCEPTOR_ROLE();
    // As after a revocation whose chain write was refused: the row deleted, the role still on the token.
    await stack.sql`delete from program_members where program_id = ${scene.program.id} and member_id = ${scene.retailer.id}`;
    const revoked = await del(`/v1/programs/${scene.program.id}/members/${scene.retailer.id}`);
    expect(revoked.statusCode, revoked.body).toBe(200);
    expect(revoked.json()).toMatchObject({ role: "acceptor", txHash: expect.stringMatching(/^0x/) });
    expect(await token.hasRole(role, scene.retailerWallet.address)).toBe(false);
    const [entry] = (await auditOf(`program:${scene.program.id}:member:${scene.retailer.id}`)).filter((r) => r.action === "program.revoke");
    expect(entry).toMatchObject({ before: { role: "acceptor", onChainOnly: true }, after: null });
    const twice = await del(`/v1/programs/${scene.program.id}/members/${scene.retailer.id}`);
    expect([twice.statusCode, twice.json().error.code]).toEqual([409, "RC_ROLE_NOT_HELD"]);
  });

  it("is for admins only", async () => {
    const scene = await recyclingScene(stack);
    const url = `/v1/programs/${scene.program.id}/members/${scene.point.id}`;
    const asPoint = await stack.app.inject({ method: "DELETE", url, headers: { authorization: `Bearer ${scene.point.key}` } });
    expect(asPoint.statusCode).toBe(403);
    expect((await stack.app.inject({ method: "DELETE", url })).statusCode).toBe(401);
    expect((await scene.point.api.get("/v1/members/me")).body.programs).toHaveLength(1);
  });
});

describe("the member list", () => {
  it("pages members newest first, searched by name and filtered by kind and activity", async () => {
    const tag = `Zq${Date.now()}`;
    const made = [];
    for (const kind of ["collection_point", "processor", "collection_point"]) made.push(await admit(stack, kind, `${tag} ${kind}`));
    await admin().post(`/v1/members/${made[0]!.id}/deactivate`);
    const first = await admin().get(`/v1/members?q=${tag.toLowerCase()}&limit=2`);
    expect(first.status, JSON.stringify(first.body)).toBe(200);
    expect(first.body.items.map((m: { id: number }) => m.id)).toEqual([made[2]!.id, made[1]!.id]);
    const second = await admin().get(`/v1/members?q=${tag}&limit=2&cursor=${first.body.next}`);
    expect(second.body).toEqual({ items: [expect.objectContaining({ id: made[0]!.id, active: false })], next: null });
    expect((await admin().get(`/v1/members?q=${tag}&kind=processor`)).body.items.map((m: { id: number }) => m.id)).toEqual([made[1]!.id]);
    expect((await admin().get(`/v1/members?q=${tag}&active=false`)).body.items.map((m: { id: number }) => m.id)).toEqual([made[0]!.id]);
    expect((await admin().get("/v1/members?q=%25")).body.items).toEqual([]);
    for (const query of ["cursor=zz", "limit=501", "kind=wizard", "active=yes", "q=", "sort=name", "q=a%00b", "q=%1b[31m"]) {
      const bad = await admin().get(`/v1/members?${query}`);
      expect([bad.status, /^RC_/.test(bad.body.error.code)], query).toEqual([400, true]);
    }
    expect((await made[1]!.api.get("/v1/members")).status).toBe(403);
  });
});
