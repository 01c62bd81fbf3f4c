import { Wallet } from "ethers";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { client, type Client } from "../../support/client.js";
import { admit, idempotencyKey } from "../../support/earn-fixtures.js";
import { startStack, type Stack } from "../../support/stack.js";

let stack: Stack;
let admin: Client;

beforeAll(async () => {
  stack = await startStack({ runBatcher: false });
  admin = client(stack.app, stack.adminKey);
});
afterAll(() => stack?.close());

async function programWith(symbol: string, caps?: Record<string, string | null>) {
  const reply = await admin.post("/v1/programs", { name: `Caps ${symbol}`, symbol, kind: "recycling", rates: { PET: "2.5" }, ...(caps ? { caps } : {}) });
  expect(reply.status, JSON.stringify(reply.body)).toBe(201);
  return reply.body;
}

/** A point granted `programId` and a registered collector wallet (the point's own, say). */
async function pointFor(programId: number) {
  const point = await admit(stack, "collection_point", `Point ${programId}`);
  expect((await admin.post(`/v1/programs/${programId}/members`, { memberId: point.id })).status).toBe(201);
  const wallet = Wallet.createRandom().address;
  expect((await point.api.post("/v1/collectors", { address: wallet, displayName: "Own" })).status).toBe(201);
  return { point, wallet };
}

describe("a recycling program's perIssuerDaily", () => {
  it("defaults to 1,000 kg a day at its best rate: a point crediting a wallet past it is held for review", async () => {
    const program = await programWith("DEF");
    expect(program.caps).toEqual({ perIssuerDaily: "2500" });
    const { point, wallet } = await pointFor(program.id);
    const first = await point.api.post("/v1/collections", { programId: program.id, collector: wallet, material: "PET", grams: 1_000_000 }, idempotencyKey());
    expect(first.body.status, JSON.stringify(first.body)).toBe("pending");
    const more = await point.api.post("/v1/collections", { programId: program.id, collector: wallet, material: "PET", grams: 1_000 }, idempotencyKey());
    expect(more.body.status, JSON.stringify(more.body)).toBe("held");
    const [row] = await stack.sql`select reasons from events where id = ${more.body.id}`;
    expect(JSON.stringify(row)).toContain("RC_OVER_ISSUER_DAILY_CAP");
  });

  it("is none when the program says null on purpose", async () => {
    const program = await programWith("NOCAP", { perIssuerDaily: null });
    expect(program.caps).toEqual({});
    const { point, wallet } = await pointFor(program.id);
    const big = await point.api.post("/v1/collections", { programId: program.id, collector: wallet, material: "PET", grams: 5_000_000 }, idempotencyKey());
    expect(big.body.status, JSON.stringify(big.body)).toBe("pending");
  });

  it("keeps a cap given", async () => {
    expect((await programWith("GIVEN", { perIssuerDaily: "10", perEvent: "5" })).caps).toEqual({ perEvent: "5", perIssuerDaily: "10" });
  });
});
