import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { client } from "../../support/client.js";
import { admit, dropOff, eventually, idempotencyKey, recyclingScene } from "../../support/earn-fixtures.js";
import { startStack, type Stack } from "../../support/stack.js";

/** Issue 13: an admin changes a program's rates, rules with their campaigns, and caps; for new events only, kept in a history. */
let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(() => stack?.close());

const admin = () => client(stack.app, stack.adminKey);
const adminId = async () => (await admin().get("/v1/members/me")).body.id as number;
const termsOf = (programId: number) =>
  stack.sql`select rates, rules, caps, bonus_share_bps as "bonusShareBps" from programs where id = ${programId}`.then((r) => r[0]);
const historyOf = (programId: number) => admin().get(`/v1/programs/${programId}/terms/history`);
const auditOf = (subject: string) => stack.sql`select actor_id as "actorId", action, before, after from audit_log where subject = ${subject} order by id`;

describe("a program's terms", () => {
  it("changes a rate for new events, while an event accepted before keeps its credit, and keeps the change in a history", async () => {
    const scene = await recyclingScene(stack);
    const before = await dropOff(scene, 2_000);
    expect(before.tokens).toBe("5");

    const changed = await admin().patch(`/v1/programs/${scene.program.id}/terms`, { rates: { PET: "4", HDPE: "2" } });
    expect(changed.status, JSON.stringify(changed.body)).toBe(200);
    expect(changed.body.rates).toEqual({ PET: "4", HDPE: "2" });
    // Caps left out stay as they were (the creation's default perIssuerDaily: 1,000 kg at 2.5).
    expect(changed.body.caps).toEqual({ perIssuerDaily: "2500" });

    const after = await dropOff(scene, 2_000);
    expect(after.tokens).toBe("8");
    // The old event is minted with what it was accepted under, the new one with the new rate.
    for (const id of [before.id, after.id]) {
      await eventually(() => scene.point.api.get(`/v1/collections/${id}`), (r) => r.body.status === "confirmed");
    }
    expect((await scene.point.api.get(`/v1/collections/${before.id}`)).body.tokens).toBe("5");
    expect((await scene.point.api.get(`/v1/collections/${after.id}`)).body.tokens).toBe("8");
    expect(await stack.chain.token(scene.program.token).balanceOf(scene.collector.address)).toBe(13n * 10n ** 18n);

    const history = await historyOf(scene.program.id);
    expect(history.status).toBe(200);
    expect(history.body.items).toHaveLength(1);
    expect(history.body.items[0]).toMatchObject({
      programId: scene.program.id,
      actorId: await adminId(),
      before: { rates: { PET: "2.5", HDPE: "2" }, caps: { perIssuerDaily: "2500" }, bonusShareBps: 0 },
      after: { rates: { PET: "4", HDPE: "2" }, caps: { perIssuerDaily: "2500" }, bonusShareBps: 0 },
    });
    const audit = await auditOf(`program:${scene.program.id}`);
    expect(audit).toEqual([
      expect.objectContaining({
        action: "program.terms",
        before: expect.objectContaining({ rates: { PET: "2.5", HDPE: "2" } }),
        after: expect.objectContaining({ rates: { PET: "4", HDPE: "2" }, change: String(history.body.items[0].id) }),
      }),
    ]);
  });

  it("changes caps alone, keeps every change newest first with a cursor, and records nothing for a change that changes nothing", async () => {
    const scene = await recyclingScene(stack);
    const url = `/v1/programs/${scene.program.id}/terms`;
    expect((await admin().patch(url, { caps: { perEvent: "3", perIssuerDaily: null } })).body.caps).toEqual({ perEvent: "3" });
    // Held now: 2 kg of PET is 5 tokens, over the new per-event cap.
    expect((await dropOff(scene, 2_000)).status).toBe("held");
    expect((await admin().patch(url, { bonusShareBps: 2_000 })).body).toMatchObject({ bonusShareBps: 2_000, caps: { perEvent: "3" } });
    const same = await admin().patch(url, { rates: { HDPE: "2", PET: "2.5" } });
    expect(same.status).toBe(200);

    const first = await admin().get(`/v1/programs/${scene.program.id}/terms/history?limit=1`);
    expect(first.body.items.map((c: { after: { bonusShareBps: number } }) => c.after.bonusShareBps)).toEqual([2_000]);
    expect(first.body.next).toEqual(expect.any(String));
    const second = await admin().get(`/v1/programs/${scene.program.id}/terms/history?limit=1&cursor=${first.body.next}`);
    expect(second.body.items[0].after.caps).toEqual({ perEvent: "3" });
    expect(second.body.next).toBeNull();
    expect(await auditOf(`program:${scene.program.id}`)).toHaveLength(2);
  });

  it("changes a loyalty program's rules and campaigns, checked as at creation", async () => {
    const created = await admin().post("/v1/programs", { name: "Refill", symbol: "RFT", kind: "loyalty", rules: { events: { purchase: { fixed: "1" } } } });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const brand = await admit(stack, "brand", "Refill Brand");
    expect((await admin().post(`/v1/programs/${created.body.id}/members`, { memberId: brand.id })).status).toBe(201);
    const now = Date.now();
    const campaign = { name: "Double week", from: new Date(now - 60_000).toISOString(), to: new Date(now + 3_600_000).toISOString(), multiplierBps: 20_000 };
    const changed = await admin().patch(`/v1/programs/${created.body.id}/terms`, { rules: { events: { purchase: { fixed: "3" } }, campaigns: [campaign] } });
    expect(changed.status, JSON.stringify(changed.body)).toBe(200);
    const event = await brand.api.post("/v1/loyalty-events", { programId: created.body.id, customer: "0x00000000000000000000000000000000000c0ffe", type: "purchase" }, idempotencyKey());
    expect(event.body).toMatchObject({ tokens: "6", campaign: "Double week" });

    const backwards = { ...campaign, from: campaign.to, to: campaign.from };
    const refused = await admin().patch(`/v1/programs/${created.body.id}/terms`, { rules: { events: { purchase: { fixed: "3" } }, campaigns: [backwards] } });
    expect([refused.status, refused.body.error.code]).toEqual([400, "RC_CAMPAIGN_WINDOW"]);
    const rates = await admin().patch(`/v1/programs/${created.body.id}/terms`, { rates: { PET: "1" } });
    expect([rates.status, rates.body.error.code]).toEqual([400, "RC_RATES_FOR_LOYALTY"]);
    expect((await historyOf(created.body.id)).body.items).toHaveLength(1);
  });

  it("refuses bad input with a 400, an unknown program with a 404 and every other kind of caller, changing nothing", async () => {
    const scene = await recyclingScene(stack);
    const url = `/v1/programs/${scene.program.id}/terms`;
    const stored = await termsOf(scene.program.id);
    const bad: [unknown, string][] = [
      [{}, "RC_VALIDATION"],
      [{ rates: { PET: "-1" } }, "RC_VALIDATION"],
      [{ rates: { GOLD: "1" } }, "RC_VALIDATION"],
      [{ rates: {} }, "RC_RATES_REQUIRED"],
      [{ rules: { events: { buy: { fixed: "1" } } } }, "RC_RULES_FOR_RECYCLING"],
      [{ caps: { perEvent: "1e3" } }, "RC_VALIDATION"],
      [{ bonusShareBps: 10_001 }, "RC_VALIDATION"],
      [{ kind: "loyalty" }, "RC_VALIDATION"],
      ["not json", "RC_INVALID_JSON"],
    ];
    for (const [body, code] of bad) {
      const reply = await admin().patch(url, body, typeof body === "string" ? { "content-type": "application/json" } : {});
      expect([reply.status, reply.body.error.code], JSON.stringify(body)).toEqual([400, code]);
    }
    const unknown = await admin().patch("/v1/programs/999999999/terms", { rates: { PET: "1" } });
    expect([unknown.status, unknown.body.error.code]).toEqual([404, "RC_PROGRAM_NOT_FOUND"]);
    expect((await admin().get("/v1/programs/999999999/terms/history")).status).toBe(404);
    expect((await scene.point.api.patch(url, { rates: { PET: "100" } })).status).toBe(403);
    expect((await scene.point.api.get(`${url}/history`)).status).toBe(403);
    expect((await client(stack.app).patch(url, { rates: { PET: "100" } })).status).toBe(401);

    expect(await termsOf(scene.program.id)).toEqual(stored);
    expect((await historyOf(scene.program.id)).body.items).toEqual([]);
    expect(await auditOf(`program:${scene.program.id}`)).toEqual([]);
  });
});
