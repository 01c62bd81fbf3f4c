import { Wallet } from "ethers";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { RewardToken__factory } from "../../../types/ethers-contracts/index.js";
import { client } from "../../support/client.js";
import { DEV_GOVERNANCE_KEY } from "../../support/deploy.js";
import { admit, eventually, idempotencyKey, recyclingScene } from "../../support/earn-fixtures.js";
import { startStack, type Stack } from "../../support/stack.js";

/** One program's trouble never holds up another's credits: programs take turns, a paused token waits. */
let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(() => stack?.close());

type Scene = Awaited<ReturnType<typeof recyclingScene>>;

async function dropOff(scene: Scene) {
  const reply = await scene.point.api.post(
    "/v1/collections",
    { programId: scene.program.id, collector: scene.collector.address, material: "PET", grams: 1_000 },
    idempotencyKey(),
  );
  expect(reply.status, JSON.stringify(reply.body)).toBe(202);
  return reply.body.id as number;
}

const statusOf = async (scene: Scene, id: number) => (await scene.point.api.get(`/v1/collections/${id}`)).body.status as string;
const batchesOf = async (programId: number) =>
  ((await stack.sql`select count(*)::int as n from mint_batches where program_id = ${programId}`) as unknown as [{ n: number }])[0].n;

describe("the mint batcher across programs", () => {
  it("confirms another program's drop-off within two batches while one program's token is paused, and mints the paused one after", async () => {
    const paused = await recyclingScene(stack);
    const other = await recyclingScene(stack);
    const pauser = RewardToken__factory.connect(paused.program.token, new Wallet(DEV_GOVERNANCE_KEY, stack.chain.provider));
    await (await pauser.pause()).wait();

    const waiting = await dropOff(paused);
    const [{ before }] = (await stack.sql`select count(*)::int as before from mint_batches`) as unknown as [{ before: number }];
    const credited = await dropOff(other);
    await eventually(() => statusOf(other, credited), (status) => status === "confirmed");
    const [{ after }] = (await stack.sql`select count(*)::int as after from mint_batches`) as unknown as [{ after: number }];
    expect(after - before).toBeLessThanOrEqual(2);
    // Nothing was sent for the paused program: no batch, no gas, its event still waiting.
    expect(await batchesOf(paused.program.id)).toBe(0);
    expect(await statusOf(paused, waiting)).toBe("pending");

    await (await pauser.unpause()).wait();
    await eventually(() => statusOf(paused, waiting), (status) => status === "confirmed");
    expect(await batchesOf(paused.program.id)).toBe(1);
  });

  it("refuses a loyalty credit that could overflow a token's supply, before accepting it, while others mint", async () => {
    const admin = client(stack.app, stack.adminKey);
    const program = await admin.post("/v1/programs", {
      name: "Big Spender",
      symbol: "BIG",
      kind: "loyalty",
      rules: { events: { purchase: { perUnit: "1" } } },
    });
    expect(program.status, JSON.stringify(program.body)).toBe(201);
    const brand = await admit(stack, "brand", "No Caps Co");
    expect((await admin.post(`/v1/programs/${program.body.id}/members`, { memberId: brand.id })).status).toBe(201);
    const customer = Wallet.createRandom().address;
    const huge = `1${"0".repeat(59)}`;
    const refused = await brand.api.post("/v1/loyalty-events", { programId: program.body.id, customer, type: "purchase", value: huge }, idempotencyKey());
    expect(refused.status, JSON.stringify(refused.body)).toBe(400);
    expect(refused.body.error.code).toBe("RC_CREDIT_TOO_LARGE");
    const [{ stored }] = (await stack.sql`select count(*)::int as stored from events where program_id = ${program.body.id}`) as unknown as [{ stored: number }];
    expect(stored).toBe(0);

    const fine = await brand.api.post("/v1/loyalty-events", { programId: program.body.id, customer, type: "purchase", value: "12" }, idempotencyKey());
    expect(fine.status, JSON.stringify(fine.body)).toBe(202);
    await eventually(() => brand.api.get(`/v1/loyalty-events/${fine.body.id}`), (r) => r.body.status === "confirmed");
    expect(await stack.chain.token(program.body.token).balanceOf(customer)).toBe(12n * 10n ** 18n);
  });
});
