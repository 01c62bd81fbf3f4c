import { toQuantity } from "ethers";
import { Registry } from "prom-client";
import { describe, expect, it } from "vitest";
import { bumped } from "../../../services/core/fees.js";
import { findChainWrite, recordChainWrite } from "../../../services/db/chain-writes.js";
import { familyOf } from "../../../services/db/signed-transactions.js";
import { ChainWriteSender } from "../../../services/engines/chain-write-sender.js";
import { CREATE_PROGRAM } from "../../../services/flows/create-program.js";
import { registerSignerMetrics } from "../../../services/queue/signer-metrics.js";
import { allIncluded, type AnvilScene, CapturedLog, eventRows, FAST_REPLACE, GWEI, poolOf, submittedHash, useAnvilScene } from "../../support/anvil-scene.js";
import { eventually } from "../../support/earn-fixtures.js";

let scene: AnvilScene;
const batcherOf = useAnvilScene((started) => (scene = started));

const rowsOf = (ids: bigint[]) => eventRows(scene, ids);
const submitted = (ids: bigint[]) => submittedHash(scene, ids);
/** Credited logs of the scene's token for `ids`: one each means the chain credited each exactly once. */
const creditedLogs = async (ids: bigint[]) => {
  const token = (await scene.operatorChain(FAST_REPLACE)).token(scene.token);
  const logs = await token.queryFilter(token.filters.Credited(), scene.deployment.startBlock);
  return logs.filter((log) => ids.includes(BigInt(log.topics[1]!)));
};
const poolHashes = async (address: string) => Object.values(await poolOf(scene, address)).map((tx) => tx.hash);

describe("the sender on a network whose fees move", () => {
  it("replaces a mint batch priced out by a base-fee spike, records the replacement before it leaves, and settles from the one that mined", async () => {
    const log = new CapturedLog();
    const chain = await scene.operatorChain({ ...FAST_REPLACE, log });
    const batcher = batcherOf(scene.sql, chain, { batchMax: 10, batchMs: 1, log });
    const ids = await scene.accept(3);
    batcher.start();
    const first = await eventually(() => submitted(ids), (hash) => hash !== undefined);
    const [original] = await eventually(() => familyOf(scene.sql, first!), (rows) => rows.length === 1);
    expect(original!.hash).toBe(first);

    // The next block's base fee jumps above what the batch offers: it stays out of that block.
    await scene.rpc("anvil_setNextBlockBaseFeePerGas", [toQuantity(original!.maxFeePerGas * 4n)]);
    await scene.mine();
    expect(await chain.provider.getTransactionReceipt(first!)).toBeNull();

    const family = await eventually(() => familyOf(scene.sql, first!), (rows) => rows.length >= 2, 15_000);
    const replacement = family[1]!;
    expect(replacement.nonce).toBe(original!.nonce);
    expect(replacement.maxFeePerGas).toBeGreaterThanOrEqual(bumped(original!.maxFeePerGas));
    expect(replacement.maxPriorityFeePerGas).toBeGreaterThanOrEqual(bumped(original!.maxPriorityFeePerGas));
    // What the node holds of ours at that nonce is a transaction the journal knew before it was sent.
    const pooled = await poolHashes(chain.writer.address);
    expect(pooled.length).toBe(1);
    expect((await familyOf(scene.sql, first!)).map((row) => row.hash)).toContain(pooled[0]);

    await scene.mine();
    const rows = await eventually(() => rowsOf(ids), allIncluded);
    const minedHash = rows[0]!.txHash!;
    expect(rows.every((row) => row.txHash === minedHash)).toBe(true);
    expect(minedHash).not.toBe(first);
    expect((await familyOf(scene.sql, first!)).map((row) => row.hash)).toContain(minedHash);
    expect((await chain.provider.getTransactionReceipt(minedHash))?.status).toBe(1);
    const [batch] = await scene.sql<{ status: string }[]>`select status from mint_batches where tx_hash = ${first!}`;
    expect(batch?.status).toBe("confirmed");
    expect(await creditedLogs(ids)).toHaveLength(3);
    expect(log.said(/replaced a transaction that had not mined/).length).toBeGreaterThanOrEqual(1);
    await batcher.stop();
  });

  it("sends and bumps nothing above MAX_FEE_PER_GAS_GWEI during a spike, says so once, and goes on when fees fall", async () => {
    const log = new CapturedLog();
    const ceiling = 20n * GWEI;
    // What this case signs (the cases before it, with no ceiling, signed above 20 gwei in their spikes).
    const [{ before } = { before: 0n }] = await scene.sql<{ before: bigint }[]>`select coalesce(max(id), 0) as before from signed_transactions`;
    const chain = await scene.operatorChain({ ...FAST_REPLACE, maxFeePerGas: ceiling, log });
    const metrics = new Registry();
    registerSignerMetrics(metrics, chain.writer);
    const blockedGauge = async () => (await metrics.getSingleMetricAsString("recircle_fee_ceiling_blocked")).split("\n").at(-1);
    const batcher = batcherOf(scene.sql, chain, { batchMax: 10, batchMs: 1, log });
    const ids = await scene.accept(2);
    batcher.start();
    const first = await eventually(() => submitted(ids), (hash) => hash !== undefined);
    expect(await blockedGauge()).toBe(`recircle_fee_ceiling_blocked{signer="${chain.writer.address}"} 0`);

    await scene.rpc("anvil_setNextBlockBaseFeePerGas", [toQuantity(100n * GWEI)]);
    await scene.mine();
    await eventually(async () => chain.writer.feeCeilingBlocked, (blocked) => blocked, 15_000);
    expect(await blockedGauge()).toBe(`recircle_fee_ceiling_blocked{signer="${chain.writer.address}"} 1`);
    // New events wait too: their batch is not sent while inclusion would cost more than the ceiling.
    const later = await scene.accept(2);
    const signedBefore = (await familyOf(scene.sql, first!)).length;
    await new Promise((resolve) => setTimeout(resolve, 4_000));
    expect((await rowsOf(later)).map((row) => row.status)).toEqual(["pending", "pending"]);
    expect(await familyOf(scene.sql, first!)).toHaveLength(signedBefore);
    expect(log.said(/above MAX_FEE_PER_GAS_GWEI/, "warn")).toHaveLength(1);

    // Fees fall: the batch (which Anvil dropped from its pool when the spike priced it out) goes again at its own
    // fees, and the waiting one is sent. Blocks come as on a network.
    await scene.rpc("anvil_setNextBlockBaseFeePerGas", [toQuantity(GWEI)]);
    await scene.mine();
    await eventually(() => scene.mine().then(() => rowsOf([...ids, ...later])), allIncluded);
    // Sent again as it was, or replaced once fees allowed: one of its family mined, and only one.
    const family = (await familyOf(scene.sql, first!)).map((row) => row.hash);
    expect(family).toContain((await rowsOf(ids))[0]!.txHash);
    expect(chain.writer.feeCeilingBlocked).toBe(false);
    expect(await blockedGauge()).toBe(`recircle_fee_ceiling_blocked{signer="${chain.writer.address}"} 0`);
    expect(log.said(/under the ceiling again/, "info")).toHaveLength(1);
    const offered = await scene.sql<{ maxFee: string }[]>`
      select max_fee_per_gas::text as "maxFee" from signed_transactions where id > ${String(before)}`;
    expect(offered.length).toBeGreaterThanOrEqual(2);
    for (const row of offered) expect(BigInt(row.maxFee)).toBeLessThanOrEqual(ceiling);
    expect(await creditedLogs([...ids, ...later])).toHaveLength(4);
    await batcher.stop();
  });

  it("recovers, after a crash, a batch whose replacement mined while no sender ran", async () => {
    const chain = await scene.operatorChain(FAST_REPLACE);
    const crashed = batcherOf(scene.sql, chain, { batchMax: 10, batchMs: 1 });
    const ids = await scene.accept(2);
    crashed.start();
    const first = await eventually(() => submitted(ids), (hash) => hash !== undefined);
    const [original] = await eventually(() => familyOf(scene.sql, first!), (rows) => rows.length === 1);
    await scene.rpc("anvil_setNextBlockBaseFeePerGas", [toQuantity(original!.maxFeePerGas * 4n)]);
    await scene.mine();
    const [, replacement] = await eventually(() => familyOf(scene.sql, first!), (rows) => rows.length >= 2, 15_000);
    await eventually(() => poolHashes(chain.writer.address), (hashes) => hashes.includes(replacement!.hash));
    // The process dies: its writer follows nothing any more, and nothing settles the batch.
    chain.close();
    await crashed.stop();
    await scene.mine();
    expect((await rowsOf(ids)).map((row) => row.status)).toEqual(["submitted", "submitted"]);

    const restarted = batcherOf(scene.sql, await scene.operatorChain(FAST_REPLACE), { batchMax: 10, batchMs: 1 });
    await restarted.recover();
    restarted.start();
    const rows = await eventually(() => rowsOf(ids), allIncluded);
    expect(rows[0]!.txHash).toBe(replacement!.hash);
    expect(await creditedLogs(ids)).toHaveLength(2);
    await restarted.stop();
  });

  it("creates a program once when its write was replaced and the sender crashed before the replacement mined", async () => {
    // A program creation has no sign on chain to recover by (no doneOnChain): only the recorded hashes tell.
    const chain = await scene.operatorChain(FAST_REPLACE);
    const crashed = new ChainWriteSender(scene.sql, chain, [CREATE_PROGRAM], { pollMs: 20 });
    const fromBlock = (await chain.provider.getBlockNumber()) + 1;
    crashed.start();
    const write = await recordChainWrite(scene.sql, {
      kind: CREATE_PROGRAM.kind,
      subject: "replaced-program",
      payload: { request: { name: "Replaced", symbol: "RPL", kind: "recycling", rates: { PET: "1" } }, rate: "0" },
    });
    const first = (await eventually(() => findChainWrite(scene.sql, write.id), (row) => row?.txHash != null))!.txHash!;
    const [original] = await eventually(() => familyOf(scene.sql, first), (rows) => rows.length === 1);
    await scene.rpc("anvil_setNextBlockBaseFeePerGas", [toQuantity(original!.maxFeePerGas * 4n)]);
    await scene.mine();
    const [, replacement] = await eventually(() => familyOf(scene.sql, first), (rows) => rows.length >= 2, 15_000);
    await eventually(() => poolHashes(chain.writer.address), (hashes) => hashes.includes(replacement!.hash));
    chain.close();
    await crashed.stop();
    expect((await findChainWrite(scene.sql, write.id))!.status).toBe("submitted");

    const restarted = await scene.operatorChain(FAST_REPLACE);
    const sender = new ChainWriteSender(scene.sql, restarted, [CREATE_PROGRAM], { pollMs: 20 });
    await sender.recover(); // follows the write: it waits for a block, which comes below
    sender.start();
    await eventually(() => scene.mine().then(() => findChainWrite(scene.sql, write.id)), (row) => row!.status === "included");
    await sender.stop();
    const settled = (await findChainWrite(scene.sql, write.id))!;
    expect((await familyOf(scene.sql, first)).map((row) => row.hash)).toContain(settled.txHash);
    expect(settled.txHash).not.toBe(first);
    const created = await restarted.factory.queryFilter(restarted.factory.filters.ProgramCreated(), fromBlock);
    expect(created).toHaveLength(1);
    expect(await scene.sql`select 1 from programs where symbol = 'RPL'`).toHaveLength(1);
  });
});
