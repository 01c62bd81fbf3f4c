import { Wallet } from "ethers";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { client } from "../../support/client.js";
import { eventually, idempotencyKey, recyclingScene } from "../../support/earn-fixtures.js";
import { startStack, type Stack } from "../../support/stack.js";
import { sleep } from "../../../harness/lib/time.js";

let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(() => stack?.close());

const tokens = (amount: string) => BigInt(Math.round(Number(amount) * 1e6)) * 10n ** 12n;
const PHONE = "+6281234567890";

describe("collectors without a smartphone", () => {
  it("escrows drop-offs by phone off chain and mints them to the wallet that claims them with a one-time code", async () => {
    const { program, point } = await recyclingScene(stack);
    const token = stack.chain.token(program.token);
    const anyone = client(stack.app);

    const registered = await point.api.post("/v1/collectors", { phone: "+62 812-3456-7890", displayName: "Ibu Wati" });
    expect(registered.status, JSON.stringify(registered.body)).toBe(201);
    expect(registered.body).toEqual({ id: expect.any(Number), phone: "+62•••••••7890", displayName: "Ibu Wati" });
    const again = await point.api.post("/v1/collectors", { phone: PHONE });
    expect(again.status).toBe(200);
    expect(again.body.id).toBe(registered.body.id);
    // Written locally, as people at the point say it, the number is the same collector (the program's country: ID).
    const local = await point.api.post("/v1/collectors", { phone: "0812-3456-7890" });
    expect(local.status).toBe(200);
    expect(local.body.id).toBe(registered.body.id);

    const supplyBefore = await token.totalSupply();
    const escrowed = [];
    for (const grams of [2_000, 1_000]) {
      const reply = await point.api.post("/v1/collections", { programId: program.id, phone: PHONE, material: "PET", grams }, idempotencyKey());
      expect(reply.status, JSON.stringify(reply.body)).toBe(202);
      expect(reply.body.status).toBe("escrowed");
      escrowed.push(reply.body);
    }
    expect(escrowed.map((event) => event.tokens)).toEqual(["5", "2.5"]);
    await sleep(300); // several batcher ticks (BATCH_MS 50)
    expect(await token.totalSupply()).toBe(supplyBefore);
    for (const event of escrowed) {
      expect((await point.api.get(`/v1/collections/${event.id}`)).body.status).toBe("escrowed");
    }

    const issued = await point.api.post("/v1/collectors/phone/claim-code", { phone: PHONE });
    expect(issued.status, JSON.stringify(issued.body)).toBe(201);
    expect(issued.body.code).toMatch(/^\d{6}$/);
    const wallet = Wallet.createRandom().address;
    const wrongCode = issued.body.code === "000000" ? "000001" : "000000";

    const wrong = await anyone.post("/v1/claims", { phone: PHONE, code: wrongCode, address: wallet });
    expect(wrong.status).toBe(400);
    expect(wrong.body.error.code).toBe("RC_CLAIM_CODE_INVALID");
    const [counted] = await stack.sql`select attempts from claim_codes order by id desc limit 1`;
    expect(counted!.attempts).toBe(1);

    const claimed = await anyone.post("/v1/claims", { phone: PHONE, code: issued.body.code, address: wallet });
    expect(claimed.status, JSON.stringify(claimed.body)).toBe(200);
    expect(claimed.body).toEqual({ address: wallet, released: 2 });
    for (const event of escrowed) {
      await eventually(() => point.api.get(`/v1/collections/${event.id}`), (reply) => reply.body.status === "confirmed");
    }
    expect(await token.balanceOf(wallet)).toBe(tokens("7.5"));

    // A claimed number answers like a wrong code: the endpoint does not tell whose number was claimed.
    const reused = await anyone.post("/v1/claims", { phone: PHONE, code: issued.body.code, address: Wallet.createRandom().address });
    expect(reused.status).toBe(400);
    expect(reused.body).toEqual(wrong.body);

    // Once claimed, a drop-off by phone goes straight to the wallet.
    const later = await point.api.post("/v1/collections", { programId: program.id, phone: PHONE, material: "HDPE", grams: 1_000 }, idempotencyKey());
    expect(later.status).toBe(202);
    expect(later.body).toMatchObject({ status: "pending", beneficiary: wallet, tokens: "2" });
    await eventually(() => point.api.get(`/v1/collections/${later.body.id}`), (reply) => reply.body.status === "confirmed");
    expect(await token.balanceOf(wallet)).toBe(tokens("9.5"));
    const ledger = await stack.sql`select address from collectors where address = ${wallet}`;
    expect(ledger).toHaveLength(1);
  });

  it("answers an unknown number, no open code, an expired code, a burnt code and a claimed number exactly like a wrong code", async () => {
    const { point } = await recyclingScene(stack);
    const phone = "+6289876543210";
    const anyone = client(stack.app);
    expect((await point.api.post("/v1/collectors", { phone })).status).toBe(201);
    const wallet = Wallet.createRandom().address;
    const claim = (body: { phone: string; code: string }) => anyone.post("/v1/claims", { ...body, address: wallet });

    // Registered, but no code issued yet.
    const noCode = await claim({ phone, code: "123456" });
    const expiring = await point.api.post("/v1/collectors/phone/claim-code", { phone });
    await stack.sql`update claim_codes set expires_at = now() - interval '1 second' where used_at is null`;
    const expired = await claim({ phone, code: expiring.body.code });

    const issued = await point.api.post("/v1/collectors/phone/claim-code", { phone });
    const wrongCode = issued.body.code === "000000" ? "000001" : "000000";
    const wrong = [];
    for (let i = 0; i < 5; i++) wrong.push(await claim({ phone, code: wrongCode }));
    // Five wrong codes burn it: the right one no longer works, and says so no differently.
    const burnt = await claim({ phone, code: issued.body.code });
    const unknown = await claim({ phone: "+6280000000000", code: "123456" });

    const answers = [noCode, expired, ...wrong, burnt, unknown];
    for (const answer of answers) {
      expect(answer.status).toBe(400);
      expect(answer.body).toEqual({ error: { code: "RC_CLAIM_CODE_INVALID", message: expect.stringContaining("not valid for this phone number") } });
    }
    expect(new Set(answers.map((answer) => JSON.stringify(answer.body))).size).toBe(1);
    const [used] = await stack.sql`select attempts, used_at from claim_codes order by id desc limit 1`;
    expect(used).toEqual({ attempts: 5, used_at: null });

    // A number no Indonesian line can have (cut short, or a prefix no operator uses) is refused, not filed.
    const collectorsBefore = await stack.sql`select count(*)::int as n from phone_collectors`;
    for (const impossible of ["0812 345", "0000 0000 00", "+62 812 3456 7890 1234"]) {
      const malformed = await point.api.post("/v1/collectors", { phone: impossible });
      expect(malformed.status, impossible).toBe(400);
      expect(malformed.body.error.code).toBe("RC_INVALID_PHONE");
    }
    expect(await stack.sql`select count(*)::int as n from phone_collectors`).toEqual(collectorsBefore);
    const both = await point.api.post("/v1/collectors", { phone, address: wallet });
    expect(both.status).toBe(400);
  });

  it("applies the caps to the phone key, and an approved held drop-off returns to escrow until the claim", async () => {
    const { admin, program, point } = await recyclingScene(stack, { perBeneficiaryDaily: "6" });
    const phone = "+6285551234567";
    const anyone = client(stack.app);
    expect((await point.api.post("/v1/collectors", { phone })).status).toBe(201);
    const dropOff = (grams: number) =>
      point.api.post("/v1/collections", { programId: program.id, phone, material: "PET", grams }, idempotencyKey());
    const first = await dropOff(2_000); // 5 tokens, escrowed
    const second = await dropOff(1_000); // 2.5 more: over the phone key's 6 a day
    expect(first.body.status).toBe("escrowed");
    expect(second.body).toMatchObject({ status: "held", reasons: ["RC_OVER_BENEFICIARY_DAILY_CAP"] });

    const approved = await admin.post(`/v1/events/${second.body.id}/approve`, { reason: "two bags, weighed apart" });
    expect(approved.status, JSON.stringify(approved.body)).toBe(200);
    expect(approved.body.status).toBe("escrowed");

    const issued = await point.api.post("/v1/collectors/phone/claim-code", { phone });
    const wallet = Wallet.createRandom().address;
    const claimed = await anyone.post("/v1/claims", { phone, code: issued.body.code, address: wallet });
    expect(claimed.body).toEqual({ address: wallet, released: 2 });
    for (const event of [first.body, second.body]) {
      await eventually(() => point.api.get(`/v1/collections/${event.id}`), (reply) => reply.body.status === "confirmed");
    }
    expect(await stack.chain.token(program.token).balanceOf(wallet)).toBe(tokens("7.5"));
  });

  it("stores the raw phone number nowhere", async () => {
    const tables = await stack.sql<{ name: string }[]>`
      select table_name as name from information_schema.tables where table_schema = 'public' and table_type = 'BASE TABLE'`;
    expect(tables.map((t) => t.name)).toEqual(expect.arrayContaining(["phone_collectors", "claim_codes", "events"]));
    for (const { name } of tables) {
      const rows = await stack.sql`select t::text as row from ${stack.sql(name)} t`;
      for (const { row } of rows) {
        for (const digits of ["81234567890", "89876543210", "85551234567"]) expect(row, `table ${name}`).not.toContain(digits);
      }
    }
  });
});
