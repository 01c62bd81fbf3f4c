import { Wallet } from "ethers";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { TRANSACTION_GAS_CAP } from "../../../services/chain/gas.js";
import { MintBatcher } from "../../../services/engines/mint-batcher.js";
import { eventually, recyclingScene } from "../../support/earn-fixtures.js";
import { startStack, type Stack } from "../../support/stack.js";

/** Batches sized by gas: rows staged in SQL, the batcher driven by the test, on the test Hardhat node. */
let stack: Stack;
let batcher: MintBatcher | undefined;
beforeAll(async () => {
  stack = await startStack({ runBatcher: false });
});
afterEach(async () => {
  await batcher?.stop();
  batcher = undefined;
});
afterAll(() => stack?.close());

/**
 * One pending drop-off per beneficiary, in one statement so the batcher claims them together; with `idStep`,
 * ids that far apart from `firstId` on (as a program's ids are when many programs share the sequence).
 */
async function stage(
  programId: number,
  issuerId: number,
  beneficiaries: string[],
  credit: bigint,
  spread?: { firstId: bigint; idStep: bigint },
): Promise<string[]> {
  const id = spread ? stack.sql`${String(spread.firstId)}::bigint + (n - 1) * ${String(spread.idStep)}::bigint` : stack.sql`nextval(pg_get_serial_sequence('events', 'id'))`;
  const rows = await stack.sql<{ id: string }[]>`
    insert into events (id, kind, program_id, issuer_id, beneficiary, material, grams, credit, status) overriding system value
    select ${id}, 'collection', ${programId}, ${issuerId}, b, 'PET', 1000, ${String(credit)}::numeric, 'pending'
    from unnest(${stack.sql.array(beneficiaries)}::text[]) with ordinality as t (b, n)
    order by n
    returning id::text`;
  return rows.map((row) => row.id);
}

const batchesOf = (programId: number) =>
  stack.sql<{ eventCount: number; gasUsed: string; status: string }[]>`
    select event_count as "eventCount", gas_used::text as "gasUsed", status from mint_batches
    where program_id = ${programId} order by id`;

describe("the mint batcher sizes its batches by gas", () => {
  it("cuts a batch of fresh holders at the gas cap, not at BATCH_MAX, and every credit mints once", async () => {
    const scene = await recyclingScene(stack);
    const fresh = Array.from({ length: 700 }, () => Wallet.createRandom().address);
    const ids = await stage(scene.program.id, scene.point.id, fresh, 10n ** 18n);

    batcher = new MintBatcher(stack.sql, stack.chain, { batchMax: 1_500, batchMs: 20 });
    batcher.start();
    const confirmed = async () =>
      (await stack.sql<{ n: number }[]>`
        select count(*)::int as n from events where id = any(${stack.sql.array(ids)}::bigint[]) and status in ('included', 'confirmed')`)[0]!.n;
    await eventually(confirmed, (n) => n === ids.length, 60_000);

    const batches = await batchesOf(scene.program.id);
    expect(batches.every((b) => b.status === "confirmed")).toBe(true);
    expect(batches.reduce((sum, b) => sum + b.eventCount, 0)).toBe(ids.length);
    // ~560 fresh credits fill the cap: the first batch stops there, well short of the 700 claimed.
    expect(batches[0]!.eventCount).toBeGreaterThan(500);
    expect(batches[0]!.eventCount).toBeLessThan(600);
    for (const batch of batches) expect(BigInt(batch.gasUsed)).toBeLessThan(TRANSACTION_GAS_CAP);
    // Close to the cap, not a cautious fraction of it.
    expect(BigInt(batches[0]!.gasUsed)).toBeGreaterThan((TRANSACTION_GAS_CAP * 85n) / 100n);
    const token = stack.chain.token(scene.program.token);
    expect(await token.totalSupply()).toBe(BigInt(ids.length) * 10n ** 18n);
  });

  it("cuts a default batch of 500 whose ids each open a bitmap word, which whole would burn past the cap", async () => {
    const scene = await recyclingScene(stack);
    const fresh = Array.from({ length: 400 }, () => Wallet.createRandom().address);
    const ids = await stage(scene.program.id, scene.point.id, fresh, 1n, { firstId: 1_000_000_000n, idStep: 256n });

    batcher = new MintBatcher(stack.sql, stack.chain, { batchMax: 500, batchMs: 20 });
    batcher.start();
    const confirmed = async () =>
      (await stack.sql<{ n: number }[]>`
        select count(*)::int as n from events where id = any(${stack.sql.array(ids)}::bigint[]) and status in ('included', 'confirmed')`)[0]!.n;
    await eventually(confirmed, (n) => n === ids.length, 60_000);

    // ~51k gas each (a fresh holder and a fresh bitmap word): 400 would need ~20M; ~320 fit.
    const batches = await batchesOf(scene.program.id);
    expect(batches.map((b) => b.status)).toEqual(["confirmed", "confirmed"]);
    expect(batches[0]!.eventCount).toBeGreaterThan(300);
    expect(batches[0]!.eventCount).toBeLessThan(340);
    for (const batch of batches) expect(BigInt(batch.gasUsed)).toBeLessThan(TRANSACTION_GAS_CAP);
  });

  it("packs credits to holders who already have a balance into bigger batches than fresh ones", async () => {
    const scene = await recyclingScene(stack);
    const holders = Array.from({ length: 400 }, () => Wallet.createRandom().address);
    const first = await stage(scene.program.id, scene.point.id, holders, 1n);
    batcher = new MintBatcher(stack.sql, stack.chain, { batchMax: 1_500, batchMs: 20 });
    batcher.start();
    const mintedOf = (ids: string[]) => async () =>
      (await stack.sql<{ n: number }[]>`
        select count(*)::int as n from events where id = any(${stack.sql.array(ids)}::bigint[]) and status in ('included', 'confirmed')`)[0]!.n;
    await eventually(mintedOf(first), (n) => n === first.length, 60_000);
    await batcher.stop();

    // Three credits to each of the 400: 1,200 credits to holders fit one transaction (~10M gas).
    const again = await stage(scene.program.id, scene.point.id, [...holders, ...holders, ...holders], 1n);
    batcher = new MintBatcher(stack.sql, stack.chain, { batchMax: 1_500, batchMs: 20 });
    batcher.start();
    await eventually(mintedOf(again), (n) => n === again.length, 60_000);

    const batches = await batchesOf(scene.program.id);
    expect(batches.map((b) => b.eventCount)).toEqual([400, 1_200]);
    expect(BigInt(batches[1]!.gasUsed)).toBeLessThan(TRANSACTION_GAS_CAP);
    expect(await stack.chain.token(scene.program.token).totalSupply()).toBe(1_600n);
  });
});
