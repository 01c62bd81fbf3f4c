import { Wallet } from "ethers";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { admit, eventually, idempotencyKey, recyclingScene } from "../../support/earn-fixtures.js";
import { startStack, type Stack } from "../../support/stack.js";

let stack: Stack;
let scene: Awaited<ReturnType<typeof recyclingScene>>;

beforeAll(async () => {
  stack = await startStack();
  scene = await recyclingScene(stack);
});
afterAll(() => stack?.close());

const drop = (grams: number, collector = scene.collector.address) => ({
  programId: scene.program.id,
  collector,
  material: "PET",
  grams,
});

async function eventCount(where: { issuerId?: number; beneficiary?: string } = {}) {
  const [row] = await stack.sql<{ count: bigint }[]>`
    select count(*) as count from events
    where (${where.issuerId ?? null}::bigint is null or issuer_id = ${where.issuerId ?? null})
      and (${where.beneficiary ?? null}::text is null or beneficiary = ${where.beneficiary ?? null})`;
  return Number(row!.count);
}

async function storedKey(memberId: number, key: string) {
  return stack.sql`select status_code as "statusCode" from idempotency_keys where member_id = ${memberId} and key = ${key}`;
}

describe("Idempotency-Key", () => {
  it("replays the first answer for the same key and body and records one event", async () => {
    const key = idempotencyKey();
    const before = await eventCount();
    const first = await scene.point.api.post("/v1/collections", drop(1_000), key);
    const second = await scene.point.api.post("/v1/collections", drop(1_000), key);
    expect(first.status, JSON.stringify(first.body)).toBe(202);
    expect(second.status).toBe(202);
    expect(second.body).toEqual(first.body);
    expect(second.body).toMatchObject({ id: first.body.id, tokens: "2.5" });
    expect(await eventCount()).toBe(before + 1);
    expect(await storedKey(scene.point.id, key["idempotency-key"])).toEqual([{ statusCode: 202 }]);
  });

  it("refuses the same key with another body with 409 RC_IDEMPOTENCY_KEY_REUSED", async () => {
    const key = idempotencyKey();
    const first = await scene.point.api.post("/v1/collections", drop(1_000), key);
    expect(first.status).toBe(202);
    const before = await eventCount();
    for (const other of [drop(1_001), { ...drop(1_000), material: "HDPE" }, { ...drop(1_000), evidenceHash: `0x${"1".repeat(64)}` }]) {
      const reused = await scene.point.api.post("/v1/collections", other, key);
      expect(reused.status, JSON.stringify(reused.body)).toBe(409);
      expect(reused.body.error.code).toBe("RC_IDEMPOTENCY_KEY_REUSED");
      expect(reused.body.error.message).toEqual(expect.any(String));
    }
    expect(await eventCount()).toBe(before);
    // The key still answers its own request.
    const again = await scene.point.api.post("/v1/collections", drop(1_000), key);
    expect(again.status).toBe(202);
    expect(again.body).toEqual(first.body);
  });

  it("treats the same fields in another order as the same request", async () => {
    const key = idempotencyKey();
    const evidenceHash = `0x${"ab".repeat(32)}`;
    const first = await scene.point.api.post("/v1/collections", { ...drop(750), evidenceHash }, key);
    const { programId, collector, material, grams } = drop(750);
    const reordered = await scene.point.api.post("/v1/collections", { evidenceHash, grams, material, collector, programId }, key);
    // The raw JSON text differs too, not just the object the test builds.
    const raw = `{"grams":750,"evidenceHash":"${evidenceHash}","collector":"${collector}","material":"PET","programId":${programId}}`;
    const text = await scene.point.api.post("/v1/collections", raw, { ...key, "content-type": "application/json" });
    expect(first.status).toBe(202);
    for (const reply of [reordered, text]) {
      expect(reply.status, JSON.stringify(reply.body)).toBe(202);
      expect(reply.body).toEqual(first.body);
    }
  });

  it("keeps keys per member: two points using one key record two events", async () => {
    const other = await admit(stack, "collection_point", "Point Seberang");
    expect((await scene.admin.post(`/v1/programs/${scene.program.id}/members`, { memberId: other.id })).status).toBe(201);
    const key = idempotencyKey();
    const mine = await scene.point.api.post("/v1/collections", drop(400), key);
    const theirs = await other.api.post("/v1/collections", drop(400), key);
    expect(mine.status).toBe(202);
    expect(theirs.status).toBe(202);
    expect(theirs.body.id).not.toBe(mine.body.id);
    expect(theirs.body.issuerId).toBe(other.id);
    expect(await eventCount({ issuerId: other.id })).toBe(1);
    // Each point's key replays its own event.
    expect((await other.api.post("/v1/collections", drop(400), key)).body.id).toBe(theirs.body.id);
    expect((await scene.point.api.post("/v1/collections", drop(400), key)).body.id).toBe(mine.body.id);
  });

  it("records one event for 20 concurrent identical requests and answers all of them alike", async () => {
    const key = idempotencyKey();
    const before = await eventCount();
    const replies = await Promise.all(
      Array.from({ length: 20 }, () =>
        stack.app.inject({
          method: "POST",
          url: "/v1/collections",
          headers: { authorization: `Bearer ${scene.point.key}`, ...key },
          payload: drop(1_234),
        }),
      ),
    );
    expect(replies.map((reply) => reply.statusCode)).toEqual(Array(20).fill(202));
    const bodies = replies.map((reply) => reply.json());
    for (const body of bodies) expect(body).toEqual(bodies[0]);
    expect(bodies[0]).toMatchObject({ tokens: "3.085", grams: 1_234 });
    expect(await eventCount()).toBe(before + 1);
  });

  it("does not burn a key on a rejected request", async () => {
    const key = idempotencyKey();
    const wallet = Wallet.createRandom().address;
    const rejected = await scene.point.api.post("/v1/collections", drop(600, wallet), key);
    expect(rejected.status).toBe(404);
    expect(rejected.body.error.code).toBe("RC_COLLECTOR_NOT_FOUND");
    expect(await storedKey(scene.point.id, key["idempotency-key"])).toEqual([]);
    const wrongMaterial = await scene.point.api.post("/v1/collections", { ...drop(600), material: "GLASS" }, key);
    expect(wrongMaterial.status).toBe(400);

    expect((await scene.point.api.post("/v1/collectors", { address: wallet })).status).toBe(201);
    const accepted = await scene.point.api.post("/v1/collections", drop(600, wallet), key);
    expect(accepted.status, JSON.stringify(accepted.body)).toBe(202);
    expect(accepted.body).toMatchObject({ beneficiary: wallet, tokens: "1.5" });
    expect(await eventCount({ beneficiary: wallet })).toBe(1);
    expect((await scene.point.api.post("/v1/collections", drop(600, wallet), key)).body).toEqual(accepted.body);
  });

  it("mints a replayed event once", async () => {
    const wallet = Wallet.createRandom().address;
    expect((await scene.point.api.post("/v1/collectors", { address: wallet })).status).toBe(201);
    const key = idempotencyKey();
    const send = () => scene.point.api.post("/v1/collections", drop(2_000, wallet), key);
    const first = await send();
    expect(first.status).toBe(202);
    const replays = await Promise.all([send(), send(), send()]);
    for (const replay of replays) expect(replay.body.id).toBe(first.body.id);

    const confirmed = await eventually(
      () => scene.point.api.get(`/v1/collections/${first.body.id}`),
      (reply) => reply.body.status === "confirmed",
    );
    expect(confirmed.body.tokens).toBe("5");
    // Replays after minting still answer the first answer and record nothing new.
    const late = await send();
    expect(late.status).toBe(202);
    expect(late.body).toEqual(first.body);
    expect(await eventCount({ beneficiary: wallet })).toBe(1);

    const token = stack.chain.token(scene.program.token);
    expect(await token.balanceOf(wallet)).toBe(5n * 10n ** 18n);
    expect(await token.isCredited(BigInt(first.body.id))).toBe(true);
  });
});
