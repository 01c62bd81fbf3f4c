import { Wallet } from "ethers";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { client } from "../../support/client.js";
import { admit, eventually, idempotencyKey, recyclingScene } from "../../support/earn-fixtures.js";
import { stagePendingEvents } from "../../support/stage-events.js";
import { startStack, type Stack } from "../../support/stack.js";
import { undeliveredUrl } from "../../support/webhook-receiver.js";

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
    const pause = (what: "pause" | "unpause") => paused.admin.post(`/v1/programs/${paused.program.id}/${what}`, {});
    expect((await pause("pause")).status).toBe(200);

    const waiting = await dropOff(paused);
    const [{ before }] = (await stack.sql`select count(*)::int as before from mint_batches`) as unknown as [{ before: number }];
    const credited = await dropOff(other);
    await eventually(() => statusOf(other, credited), (status) => status === "confirmed");
    const [{ after }] = (await stack.sql`select count(*)::int as after from mint_batches`) as unknown as [{ after: number }];
    expect(after - before).toBeLessThanOrEqual(2);
    // Nothing was sent for the paused program: no batch, no gas, its event still waiting.
    expect(await batchesOf(paused.program.id)).toBe(0);
    expect(await statusOf(paused, waiting)).toBe("pending");

    expect((await pause("unpause")).status).toBe(200);
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

  it("fails a credit that overflows the token's supply with its reason while the others of its batch and program mint", async () => {
    const scene = await recyclingScene(stack);
    const hooked = await scene.point.api.post("/v1/webhooks", { url: undeliveredUrl("/failed"), events: ["credit.failed"] });
    expect(hooked.status, JSON.stringify(hooked.body)).toBe(201);
    const big = 2n ** 255n;
    // Each alone fits; the third takes the total supply past 2^256 - 1 (Panic 0x11), and the token's mintBatch
    // reverts as a whole. Staged in one statement, so the batcher claims the five together.
    const ids = await stagePendingEvents(stack.sql, {
      programId: scene.program.id,
      issuerId: scene.point.id,
      beneficiary: scene.collector.address,
      credits: [5n, big, big, 7n, 11n],
    });
    const rows = async () =>
      stack.sql<{ id: string; status: string; failureCode: string | null; txHash: string | null }[]>`
        select id::text as id, status, failure_code as "failureCode", tx_hash as "txHash" from events e
        where id = any(${stack.sql.array(ids.map(String))}::bigint[]) order by e.id`;
    const settled = await eventually(rows, (events) => events.every((e) => e.status === "confirmed" || e.status === "failed"));
    expect(settled.map((e) => [e.status, e.failureCode])).toEqual([
      ["confirmed", null],
      ["confirmed", null],
      ["failed", "RC_ARITHMETIC_OVERFLOW"],
      ["confirmed", null],
      ["confirmed", null],
    ]);
    // The four minted in the one transaction sent: nothing reverted on chain, nothing was sent twice.
    expect(new Set(settled.filter((e) => e.status === "confirmed").map((e) => e.txHash)).size).toBe(1);
    expect(await batchesOf(scene.program.id)).toBe(1);
    const token = stack.chain.token(scene.program.token);
    expect(await token.balanceOf(scene.collector.address)).toBe(5n + big + 7n + 11n);
    expect(await token.isCredited(ids[2]!)).toBe(false);

    const failed = await scene.point.api.get(`/v1/collections/${ids[2]}`);
    expect(failed.body).toMatchObject({ status: "failed", failureCode: "RC_ARITHMETIC_OVERFLOW" });
    expect(failed.body.failureReason).toMatch(/overflow.*Panic 0x11/);
    // The collector's history says so too, with the code.
    const history = (await client(stack.app, stack.adminKey).get(`/v1/collectors/${scene.collector.address}`)).body.history;
    expect(history.find((item: { id?: number; kind: string }) => item.id === Number(ids[2]) && item.kind === "collection")).toMatchObject({
      status: "failed",
      failureReason: "RC_ARITHMETIC_OVERFLOW",
    });
    const [hook] = await stack.sql`select payload, member_ids from webhook_events where type = 'credit.failed'`;
    expect(hook).toMatchObject({ payload: { eventId: Number(ids[2]), code: "RC_ARITHMETIC_OVERFLOW" }, member_ids: [BigInt(scene.point.id)] });
  });
});
