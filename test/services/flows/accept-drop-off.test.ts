/**
 * The drop-off flow called as a worker or a script would call it: plain dependencies, no Fastify. The app
 * of the stack only sets the scene (a program, its collection point, a registered collector).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { CreditEvent } from "../../../services/db/events.js";
import { findMember, type Member } from "../../../services/db/members.js";
import { acceptDropOff, type DropOffDeps } from "../../../services/flows/accept-drop-off.js";
import { createLookups } from "../../../services/flows/lookups.js";
import { idempotencyKey, recyclingScene } from "../../support/earn-fixtures.js";
import { startStack, type Stack } from "../../support/stack.js";

let stack: Stack;
let scene: Awaited<ReturnType<typeof recyclingScene>>;
let point: Member;
let notified = 0;
let deps: DropOffDeps;

beforeAll(async () => {
  stack = await startStack({ runBatcher: false });
  scene = await recyclingScene(stack);
  point = (await findMember(stack.sql, BigInt(scene.point.id)))!;
  deps = {
    sql: stack.sql,
    lookups: createLookups(stack.sql),
    minter: { notify: () => void notified++ },
    phoneSalt: () => stack.config.phoneSalt!,
  };
});
afterAll(() => stack?.close());

/** The answer stored with the key: whatever the caller presents; here the few fields the tests read. */
const present = (event: CreditEvent) => ({ id: Number(event.id), status: event.status, credit: event.credit.toString() });

const eventRows = (issuerId: number) => stack.sql<{ id: bigint; beneficiary: string; grams: bigint; credit: string; status: string }[]>`
  select id, beneficiary, grams, credit::text as credit, status from events where issuer_id = ${issuerId} order by id`;

describe("acceptDropOff without Fastify", () => {
  it("records the drop-off's row, credits grams × rate, and tells the minter once", async () => {
    const before = notified;
    const key = idempotencyKey()["idempotency-key"];
    const dropOff = { programId: scene.program.id, collector: scene.collector.address, material: "PET" as const, grams: 2_000 };
    const result = await acceptDropOff(deps, point, dropOff, { idempotencyKey: key, present });
    expect(result.replayed).toBe(false);
    expect(result.body).toMatchObject({ status: "pending", credit: "5000000000000000000" });
    const rows = await eventRows(scene.point.id);
    expect(rows.at(-1)).toMatchObject({ id: BigInt(result.body.id), beneficiary: scene.collector.address, grams: 2_000n, status: "pending" });
    expect(notified).toBe(before + 1);
  });

  it("replays the first answer for the same key and body: no second row, no second notice", async () => {
    const key = idempotencyKey()["idempotency-key"];
    const dropOff = { programId: scene.program.id, collector: scene.collector.address, material: "HDPE" as const, grams: 500 };
    const first = await acceptDropOff(deps, point, dropOff, { idempotencyKey: key, present });
    const rowsAfterFirst = (await eventRows(scene.point.id)).length;
    const noticesAfterFirst = notified;
    const again = await acceptDropOff(deps, point, { ...dropOff }, { idempotencyKey: key, present });
    expect(again.replayed).toBe(true);
    expect(again.body).toEqual(first.body);
    expect((await eventRows(scene.point.id)).length).toBe(rowsAfterFirst);
    expect(notified).toBe(noticesAfterFirst);
  });

  it("refuses the same key with another drop-off with RC_IDEMPOTENCY_KEY_REUSED and records nothing", async () => {
    const key = idempotencyKey()["idempotency-key"];
    const dropOff = { programId: scene.program.id, collector: scene.collector.address, material: "PET" as const, grams: 100 };
    await acceptDropOff(deps, point, dropOff, { idempotencyKey: key, present });
    const rows = (await eventRows(scene.point.id)).length;
    await expect(acceptDropOff(deps, point, { ...dropOff, grams: 101 }, { idempotencyKey: key, present })).rejects.toMatchObject({
      code: "RC_IDEMPOTENCY_KEY_REUSED",
    });
    expect((await eventRows(scene.point.id)).length).toBe(rows);
  });
});
