import { randomBytes } from "node:crypto";
import { Wallet } from "ethers";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { purgeIdempotencyKeys } from "../../../services/db/idempotency.js";
import { IdempotencyPurger } from "../../../services/engines/idempotency-purger.js";
import { idempotencyKey, recyclingScene } from "../../support/earn-fixtures.js";
import { startStack, type Stack } from "../../support/stack.js";

let stack: Stack;
let memberId: string;
/**
 * Shorter than the stack's own (IDEMPOTENCY_KEY_TTL_HOURS, 168): the in-process operator purges every key older
 * than 168 hours when it starts, which could race these tests; none of theirs is that old.
 */
const TTL = 24;

beforeAll(async () => {
  stack = await startStack({ runBatcher: false });
  memberId = String((await stack.sql`select id from members where kind = 'admin' order by id limit 1`)[0]!.id);
});
afterAll(() => stack?.close());

/** `count` stored keys of the admin's, created `hoursAgo` hours ago. */
async function keysAged(count: number, hoursAgo: number): Promise<string[]> {
  const keys = Array.from({ length: count }, () => `aged-${hoursAgo}-${randomBytes(6).toString("hex")}`);
  await stack.sql`
    insert into idempotency_keys (member_id, key, request_hash, status_code, response, created_at)
    select ${memberId}, k, 'hash', 201, '{}'::jsonb, now() - make_interval(hours => ${hoursAgo})
    from unnest(${keys}::text[]) as k`;
  return keys;
}

const left = async (keys: string[]) => Number((await stack.sql`select count(*) as n from idempotency_keys where key = any(${keys}::text[])`)[0]!.n);

describe("idempotency key retention", () => {
  it("purges keys older than the TTL in batches, oldest first, and keeps the rest", async () => {
    const old = await keysAged(5, 40);
    const older = await keysAged(3, 50);
    const fresh = await keysAged(4, 20);
    expect(await purgeIdempotencyKeys(stack.sql, TTL, 3)).toBe(3);
    expect(await left(older)).toBe(0);
    expect(await left(old)).toBe(5);
    expect(await purgeIdempotencyKeys(stack.sql, TTL, 100)).toBe(5);
    expect(await purgeIdempotencyKeys(stack.sql, TTL, 100)).toBe(0);
    expect(await left(fresh)).toBe(4);
  });

  it("runs as an engine that drains a backlog batch after batch", async () => {
    const old = await keysAged(25, 30);
    const fresh = await keysAged(2, 1);
    const purger = new IdempotencyPurger(stack.sql, { ttlHours: TTL, batch: 10, pollMs: 60_000 });
    purger.start();
    await expect.poll(() => left(old), { timeout: 10_000 }).toBe(0);
    await purger.stop();
    expect(await left(fresh)).toBe(2);
  });

  it("answers a purged key's request as a new one, and replays it until then", async () => {
    const { program, point } = await recyclingScene(stack);
    const headers = idempotencyKey();
    const body = { programId: program.id, collector: Wallet.createRandom().address, material: "PET", grams: 500 };
    await point.api.post("/v1/collectors", { address: body.collector, displayName: "Ani" });
    const first = await point.api.post("/v1/collections", body, headers);
    expect(first.status, JSON.stringify(first.body)).toBe(202);
    expect((await point.api.post("/v1/collections", body, headers)).body.id).toBe(first.body.id);
    await stack.sql`update idempotency_keys set created_at = now() - interval '25 hours' where key = ${headers["idempotency-key"]}`;
    expect(await purgeIdempotencyKeys(stack.sql, TTL, 100)).toBe(1);
    const again = await point.api.post("/v1/collections", body, headers);
    expect(again.status).toBe(202);
    expect(again.body.id).not.toBe(first.body.id);
  });
});
