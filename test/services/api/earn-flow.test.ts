import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { client } from "../../support/client.js";
import { admit, eventually, idempotencyKey, recyclingScene } from "../../support/earn-fixtures.js";
import { startStack, type Stack } from "../../support/stack.js";

let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(() => stack?.close());

const tokens = (amount: string) => BigInt(Math.round(Number(amount) * 1e6)) * 10n ** 12n;

describe("earning over HTTP", () => {
  it("mints a collector's drop-offs in batches until the on-chain balance equals their sum", async () => {
    const { program, point, collector } = await recyclingScene(stack);
    const dropOffs = [
      { material: "PET", grams: 1_500 }, // 3.75
      { material: "HDPE", grams: 2_000 }, // 4
      { material: "PET", grams: 333 }, // 0.8325
    ];
    const accepted = [];
    for (const dropOff of dropOffs) {
      const reply = await point.api.post(
        "/v1/collections",
        { programId: program.id, collector: collector.address, ...dropOff },
        idempotencyKey(),
      );
      expect(reply.status, JSON.stringify(reply.body)).toBe(202);
      expect(reply.body.status).toBe("pending");
      accepted.push(reply.body);
    }
    expect(accepted.map((event) => event.tokens)).toEqual(["3.75", "4", "0.8325"]);

    for (const event of accepted) {
      const confirmed = await eventually(
        () => point.api.get(`/v1/collections/${event.id}`),
        (reply) => reply.body.status === "confirmed",
      );
      expect(confirmed.body.txHash).toMatch(/^0x[0-9a-f]{64}$/);
      expect(confirmed.body.blockNumber).toBeGreaterThan(0);
    }
    const token = stack.chain.token(program.token);
    expect(await token.balanceOf(collector.address)).toBe(tokens("3.75") + tokens("4") + tokens("0.8325"));
    for (const event of accepted) expect(await token.isCredited(BigInt(event.id))).toBe(true);
  });

  it("holds a drop-off over the program's cap until an admin approves it, then mints it", async () => {
    const { admin, program, point, collector } = await recyclingScene(stack, { perEvent: "10" });
    const held = await point.api.post(
      "/v1/collections",
      { programId: program.id, collector: collector.address, material: "PET", grams: 5_000 },
      idempotencyKey(),
    );
    expect(held.status).toBe(202);
    expect(held.body).toMatchObject({ status: "held", tokens: "12.5", reasons: ["RC_OVER_EVENT_MAX"] });

    const approved = await admin.post(`/v1/events/${held.body.id}/approve`, { reason: "weighed twice" });
    expect(approved.status).toBe(200);
    expect(approved.body).toMatchObject({ status: "pending", reviewNote: "weighed twice" });
    await eventually(() => point.api.get(`/v1/collections/${held.body.id}`), (r) => r.body.status === "confirmed");
    expect(await stack.chain.token(program.token).balanceOf(collector.address)).toBe(tokens("12.5"));

    const again = await admin.post(`/v1/events/${held.body.id}/reject`, { reason: "too late" });
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe("RC_EVENT_ON_CHAIN");
  });

  it("never mints a rejected drop-off", async () => {
    const { admin, program, point, collector } = await recyclingScene(stack, { perBeneficiaryDaily: "5" });
    const first = await point.api.post(
      "/v1/collections",
      { programId: program.id, collector: collector.address, material: "PET", grams: 1_000 },
      idempotencyKey(),
    );
    const second = await point.api.post(
      "/v1/collections",
      { programId: program.id, collector: collector.address, material: "PET", grams: 1_200 },
      idempotencyKey(),
    );
    expect(first.body.status).toBe("pending");
    expect(second.body).toMatchObject({ status: "held", reasons: ["RC_OVER_BENEFICIARY_DAILY_CAP"] });
    const rejected = await admin.post(`/v1/events/${second.body.id}/reject`, { reason: "double weighing" });
    expect(rejected.body.status).toBe("rejected");
    await eventually(() => point.api.get(`/v1/collections/${first.body.id}`), (r) => r.body.status === "confirmed");
    expect(await stack.chain.token(program.token).isCredited(BigInt(second.body.id))).toBe(false);
    expect(await stack.chain.token(program.token).balanceOf(collector.address)).toBe(tokens("2.5"));
  });

  it("credits a brand's loyalty events by its rules and campaign", async () => {
    const admin = client(stack.app, stack.adminKey);
    const now = Date.now();
    const program = await admin.post("/v1/programs", {
      name: "Refill Rewards",
      symbol: "RFL",
      kind: "loyalty",
      rules: {
        events: { purchase: { perUnit: "0.5" }, cartridge_return: { fixed: "3" } },
        campaigns: [{ name: "Earth week", from: new Date(now - 60_000).toISOString(), to: new Date(now + 3_600_000).toISOString(), multiplierBps: 20_000, types: ["cartridge_return"] }],
      },
    });
    expect(program.status, JSON.stringify(program.body)).toBe(201);
    const brand = await admit(stack, "brand", "Refill Co");
    expect((await admin.post(`/v1/programs/${program.body.id}/members`, { memberId: brand.id })).status).toBe(201);
    const customer = "0x00000000000000000000000000000000000c0ffe";

    const purchase = await brand.api.post(
      "/v1/loyalty-events",
      { programId: program.body.id, customer, type: "purchase", value: "25.9" },
      idempotencyKey(),
    );
    const cartridge = await brand.api.post(
      "/v1/loyalty-events",
      { programId: program.body.id, customer, type: "cartridge_return" },
      idempotencyKey(),
    );
    expect(purchase.body).toMatchObject({ status: "pending", tokens: "12.95", type: "purchase", value: "25.9" });
    expect(cartridge.body).toMatchObject({ status: "pending", tokens: "6", campaign: "Earth week" });
    await eventually(() => brand.api.get(`/v1/loyalty-events/${cartridge.body.id}`), (r) => r.body.status === "confirmed");
    await eventually(() => brand.api.get(`/v1/loyalty-events/${purchase.body.id}`), (r) => r.body.status === "confirmed");
    expect(await stack.chain.token(program.body.token).balanceOf(customer)).toBe(tokens("18.95"));
  });

  it("reports the database, Redis and the chain in /health and counts accepted events in /metrics", async () => {
    const health = await client(stack.app).get("/health");
    expect(health.status).toBe(200);
    expect(health.body).toMatchObject({ status: "ok", database: { ok: true }, redis: { ok: true }, chain: { ok: true } });
    const metrics = await client(stack.app).get("/metrics");
    expect(metrics.raw.body).toMatch(/recircle_events_accepted_total\{kind="collection",status="pending"\} [1-9]/);
    expect(metrics.raw.body).toMatch(/recircle_mint_batch_size_count [1-9]/);
  });

  it("publishes an OpenAPI document generated from the route schemas", async () => {
    const document = await client(stack.app).get("/openapi.json");
    expect(document.status).toBe(200);
    expect(Object.keys(document.body.paths)).toEqual(
      expect.arrayContaining(["/v1/collections", "/v1/collections/{id}", "/v1/loyalty-events", "/v1/programs", "/health"]),
    );
  });
});
