import { Wallet } from "ethers";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { MintBatcher } from "../../../services/engines/mint-batcher.js";
import { screenMint } from "../../../services/engines/mint-screen.js";
import { RewardToken__factory } from "../../../types/ethers-contracts/index.js";
import { DEV_GOVERNANCE_KEY } from "../../support/deploy.js";
import { eventually, recyclingScene } from "../../support/earn-fixtures.js";
import { stagePendingEvents } from "../../support/stage-events.js";
import { startStack, type Stack } from "../../support/stack.js";

/** The batcher's defence against events its token refuses: rows staged in SQL, the batcher driven by the test. */
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

const MAX = 2n ** 256n - 1n;
const startBatcher = () => {
  // The stack's own chain: its one writer keeps the operator key's nonces for the test's sends too.
  batcher = new MintBatcher(stack.sql, stack.chain, { batchMax: 50, batchMs: 20 });
  return batcher;
};

const eventsOf = (ids: bigint[]) =>
  stack.sql<{ id: string; status: string; failureCode: string | null; txHash: string | null }[]>`
    select id::text as id, status, failure_code as "failureCode", tx_hash as "txHash" from events e
    where id = any(${stack.sql.array(ids.map(String))}::bigint[]) order by e.id`;
const settled = (ids: bigint[]) =>
  eventually(() => eventsOf(ids), (rows) => rows.every((row) => row.status === "confirmed" || row.status === "failed"));
const batchesOf = (programId: number) =>
  stack.sql<{ status: string }[]>`select status from mint_batches where program_id = ${programId} order by id`;

describe("the mint batcher and events its token refuses", () => {
  it("does not resend a batch that mined reverted: the check finds the event it stopped at, the others mint", async () => {
    const scene = await recyclingScene(stack);
    const big = 2n ** 255n;
    const ids = await stagePendingEvents(stack.sql, {
      programId: scene.program.id,
      issuerId: scene.point.id,
      beneficiary: scene.collector.address,
      credits: [big, big, 3n],
    });
    // A batch sent before the check existed (or whose state changed on the way): mined, and reverted.
    const token = stack.chain.token(scene.program.token);
    const request = await token.mintBatch.populateTransaction(ids.map(() => scene.collector.address), [big, big, 3n], ids);
    let recorded = { hash: "", nonce: 0 };
    // Hardhat's automine mines a reverting transaction and then refuses it at broadcast.
    await stack.chain.writer.send({ ...request, gasLimit: 1_000_000n }, async (sent) => void (recorded = sent)).catch(() => {});
    expect((await stack.chain.provider.getTransactionReceipt(recorded.hash))?.status).toBe(0);
    await stack.sql`update events set status = 'submitted', tx_hash = ${recorded.hash} where id = any(${stack.sql.array(ids.map(String))}::bigint[])`;
    await stack.sql`insert into mint_batches (program_id, tx_hash, nonce, event_count, status)
                    values (${scene.program.id}, ${recorded.hash}, ${recorded.nonce}, 3, 'submitted')`;

    const minter = startBatcher();
    await minter.recover();
    minter.start();
    const rows = await settled(ids);
    expect(rows.map((row) => [row.status, row.failureCode])).toEqual([
      ["confirmed", null],
      ["failed", "RC_ARITHMETIC_OVERFLOW"],
      ["confirmed", null],
    ]);
    // The reverted batch and one that went through: nothing sent again to revert again.
    expect((await batchesOf(scene.program.id)).map((b) => b.status)).toEqual(["failed", "confirmed"]);
    expect(await token.balanceOf(scene.collector.address)).toBe(big + 3n);
  });

  it("fails every event that cannot fit, a bounded number per turn, and mints the ones between them", async () => {
    const scene = await recyclingScene(stack);
    // After the first credit each of the twenty overflows alone: more than one turn's share of failures.
    const credits = [1n, ...Array.from({ length: 20 }, () => MAX), 2n];
    const ids = await stagePendingEvents(stack.sql, {
      programId: scene.program.id,
      issuerId: scene.point.id,
      beneficiary: scene.collector.address,
      credits,
    });
    startBatcher().start();
    const rows = await settled(ids);
    expect(rows.filter((row) => row.status === "failed").map((row) => row.id)).toEqual(ids.slice(1, 21).map(String));
    expect(rows.every((row) => row.status === "confirmed" || row.failureCode === "RC_ARITHMETIC_OVERFLOW")).toBe(true);
    expect(await stack.chain.token(scene.program.token).balanceOf(scene.collector.address)).toBe(3n);
    // No transaction reverted: every batch sent was one the node had run through.
    expect((await batchesOf(scene.program.id)).every((b) => b.status === "confirmed")).toBe(true);
  });

  it("lets a program whose token refuses every mint sit out without failing its events, while another mints", async () => {
    const refusing = await recyclingScene(stack);
    const other = await recyclingScene(stack);
    const admin = RewardToken__factory.connect(refusing.program.token, new Wallet(DEV_GOVERNANCE_KEY, stack.chain.provider));
    const minterRole = await admin.MINTER_ROLE();
    await (await admin.revokeRole(minterRole, stack.chain.writer.address)).wait();

    const waiting = await stagePendingEvents(stack.sql, {
      programId: refusing.program.id,
      issuerId: refusing.point.id,
      beneficiary: refusing.collector.address,
      credits: [4n, 5n],
    });
    const credited = await stagePendingEvents(stack.sql, {
      programId: other.program.id,
      issuerId: other.point.id,
      beneficiary: other.collector.address,
      credits: [6n],
    });
    startBatcher().start();
    await settled(credited);
    // The whole batch is refused (AccessControlUnauthorizedAccount): no event is to blame, none is failed or sent.
    expect((await eventsOf(waiting)).map((row) => row.status)).toEqual(["pending", "pending"]);
    expect(await batchesOf(refusing.program.id)).toEqual([]);

    await (await admin.grantRole(minterRole, stack.chain.writer.address)).wait();
    const rows = await settled(waiting);
    expect(rows.map((row) => row.status)).toEqual(["confirmed", "confirmed"]);
  });

  it("skips the dry run only when the token's state proves the batch goes through, and never for a distrusted token", async () => {
    const scene = await recyclingScene(stack);
    const events = (credits: bigint[]) => credits.map((credit, i) => ({ id: 10_000_000n + BigInt(i), beneficiary: scene.collector.address, credit }));
    const fits = events([1n, 2n]);
    expect(await screenMint(stack.chain, scene.program.token, fits, true)).toEqual({ send: fits, failed: [], waiting: [], calls: 0 });
    expect((await screenMint(stack.chain, scene.program.token, fits, false)).calls).toBe(1);
    // Past 2^256 - 1 together: the node decides, and bisects.
    const overflowing = events([MAX, 1n]);
    expect(await screenMint(stack.chain, scene.program.token, overflowing, true)).toMatchObject({
      send: [overflowing[0]],
      failed: [{ id: overflowing[1]!.id, code: "RC_ARITHMETIC_OVERFLOW" }],
    });
  });
});
