import { keccak256, parseEther, toQuantity, Wallet } from "ethers";
import { Registry } from "prom-client";
import { describe, expect, it } from "vitest";
import { familyOf } from "../../../services/db/signed-transactions.js";
import { claimPendingBatch, commitSubmitted, finishBatch, returnToPending } from "../../../services/db/mint-outbox.js";
import { registerSignerMetrics } from "../../../services/queue/signer-metrics.js";
import type { Chain } from "../../../services/chain/network.js";
import { allIncluded, type AnvilScene, CapturedLog, eventRows, FAST_REPLACE, GWEI, poolOf, submittedHash, useAnvilScene } from "../../support/anvil-scene.js";
import { eventually } from "../../support/earn-fixtures.js";

let scene: AnvilScene;
const batcherOf = useAnvilScene((started) => (scene = started));

const submitted = (ids: bigint[]) => eventually(() => submittedHash(scene, ids), (hash) => hash !== undefined);

/** Another sender of the operator's key puts a transfer in the pool at the next nonce; its nonce and raw bytes. */
async function strangerTakesNextNonce(chain: Chain) {
  const wallet = chain.writer.wallet;
  const nonce = await chain.provider.getTransactionCount(wallet.address, "pending");
  const stranger = await wallet.signTransaction({
    type: 2, chainId: chain.chainId, nonce, to: Wallet.createRandom().address, value: 1n, gasLimit: 21_000n,
    maxFeePerGas: 10n * GWEI, maxPriorityFeePerGas: GWEI,
  });
  await scene.rpc("eth_sendRawTransaction", [stranger]);
  return { nonce, stranger };
}

describe("the sender's nonces on a network that loses transactions", () => {
  it("sends again the very transaction a node dropped while a later nonce waits, and settles both once", async () => {
    const log = new CapturedLog();
    const chain = await scene.operatorChain({ ...FAST_REPLACE, log });
    const batcher = batcherOf(scene.sql, chain, { batchMax: 2, batchMs: 1, log });
    const first = await scene.accept(2);
    const second = await scene.accept(2);
    batcher.start();
    const [a, b] = [await submitted(first), await submitted(second)];
    expect(a).not.toBe(b);
    const pool = await eventually(() => poolOf(scene, chain.writer.address), (txs) => Object.keys(txs).length === 2);
    const [lower] = Object.keys(pool).map(Number).sort((x, y) => x - y);
    const dropped = pool[String(lower)]!.hash;

    // The node forgets the lower nonce: the later one cannot mine, and nothing mines for the key.
    await scene.rpc("anvil_dropTransaction", [dropped]);
    expect(await chain.provider.getTransaction(dropped)).toBeNull();
    await scene.mine();
    expect(await chain.provider.getTransactionCount(chain.writer.address, "latest")).toBe(lower);

    // The writer sends the same bytes again (the same hash: the same transaction, so at most once).
    await eventually(() => chain.provider.getTransaction(dropped), (tx) => tx !== null, 15_000);
    expect(log.said(/lost a transaction; sent it again/).map((line) => line.fields.nonce)).toContain(lower);
    await eventually(() => scene.mine().then(() => eventRows(scene, [...first, ...second])), allIncluded);
    expect(await chain.provider.getTransactionCount(chain.writer.address, "latest")).toBe(lower! + 2);
    // The lower batch mined as the very transaction the node had dropped; each batch settled from its own family.
    expect((await eventRows(scene, first)).map((row) => row.txHash)).toEqual([dropped, dropped]);
    for (const [ids, hash] of [[first, a], [second, b]] as const) {
      const family = (await familyOf(scene.sql, hash!)).map((row) => row.hash);
      const [one, two] = (await eventRows(scene, ids)).map((row) => row.txHash);
      expect(one).toBe(two);
      expect(family).toContain(one);
    }
    const batches = await scene.sql<{ status: string }[]>`select status from mint_batches where tx_hash in (${a!}, ${b!})`;
    expect(batches.map((row) => row.status)).toEqual(["confirmed", "confirmed"]);
    const token = chain.token(scene.token);
    const credited = await token.queryFilter(token.filters.Credited(), scene.deployment.startBlock);
    expect(credited.filter((log) => [...first, ...second].includes(BigInt(log.topics[1]!)))).toHaveLength(4);
    await batcher.stop();
  });

  it("sends again from the journal, after a crash, the transaction the node dropped while no sender ran", async () => {
    const chain = await scene.operatorChain(FAST_REPLACE);
    const crashed = batcherOf(scene.sql, chain, { batchMax: 2, batchMs: 1 });
    const ids = await scene.accept(2);
    crashed.start();
    const hash = (await submitted(ids))!;
    await eventually(() => familyOf(scene.sql, hash), (rows) => rows.length === 1);
    await eventually(() => chain.provider.getTransaction(hash), (tx) => tx !== null);
    chain.close();
    await crashed.stop();
    await scene.rpc("anvil_dropTransaction", [hash]);
    await scene.mine();
    expect(await scene.rpc("eth_getTransactionByHash", [hash])).toBeNull();

    const restarted = batcherOf(scene.sql, await scene.operatorChain(FAST_REPLACE), { batchMax: 2, batchMs: 1 });
    await restarted.recover();
    restarted.start();
    await eventually(() => scene.mine().then(() => eventRows(scene, ids)), allIncluded);
    // The same bytes, so the same hash: recovery could not have made it a second transaction.
    expect((await eventRows(scene, ids)).map((row) => row.txHash)).toEqual([hash, hash]);
    await restarted.stop();
  });

  it("records a batch sent again as the very same transaction (a reorganisation took it away) once, not as a duplicate", async () => {
    // After a reorganisation the chain is back where it was: at the same nonce, fees and calldata a batch signs to
    // the same transaction, the same hash. Its mint_batches row exists already; the outbox must take it again
    // (before, the duplicate key refused it and the events stayed pending, sent and refused every second).
    const ids = await scene.accept(2);
    const claim = async () => (await claimPendingBatch(scene.sql, 10))!;
    const first = await claim();
    await commitSubmitted(first, "0xsame", 7);
    first.connection.release();
    await finishBatch(scene.sql, "0xsame", { status: "failed" });
    await returnToPending(scene.sql, ids);
    const again = await claim();
    try {
      await commitSubmitted(again, "0xsame", 7);
    } finally {
      again.connection.release();
    }
    expect((await eventRows(scene, ids)).map((row) => row.status)).toEqual(["submitted", "submitted"]);
    const batches = await scene.sql<{ status: string }[]>`select status from mint_batches where tx_hash = '0xsame'`;
    expect(batches.map((row) => row.status)).toEqual(["submitted"]);
    await scene.sql`update events set status = 'rejected' where id = any(${ids.map(String)}::bigint[])`;
  });

  it("fills a nonce below ours that nothing recorded holds with a self-transfer, so the nonces after it mine", async () => {
    const log = new CapturedLog();
    const chain = await scene.operatorChain({ ...FAST_REPLACE, log });
    const wallet = chain.writer.wallet;
    // Another sender of the key (a tool, a previous version) took the next nonce, and its transaction is lost.
    const { nonce, stranger } = await strangerTakesNextNonce(chain);
    const batcher = batcherOf(scene.sql, chain, { batchMax: 2, batchMs: 1, log });
    const ids = await scene.accept(2);
    batcher.start();
    await submitted(ids);
    await scene.rpc("anvil_dropTransaction", [keccak256(stranger)]);

    const filler = await eventually(() => poolOf(scene, wallet.address), (txs) => txs[String(nonce)] !== undefined, 15_000);
    expect(filler[String(nonce)]!.to.toLowerCase()).toBe(wallet.address.toLowerCase());
    expect(BigInt(filler[String(nonce)]!.value)).toBe(0n);
    expect(log.said(/filled a nonce gap/)).toHaveLength(1);
    await eventually(() => scene.mine().then(() => eventRows(scene, ids)), allIncluded);
    expect(await chain.provider.getTransactionCount(wallet.address, "latest")).toBe(nonce + 2);
    await batcher.stop();
  });

  it("fills a gap once when several nonces wait above it (found by the chain chaos: each one's watch filled it)", async () => {
    const log = new CapturedLog();
    const chain = await scene.operatorChain({ ...FAST_REPLACE, log });
    const wallet = chain.writer.wallet;
    const { nonce, stranger } = await strangerTakesNextNonce(chain);
    // One event per batch: three transactions, at three nonces above the stranger's.
    const batcher = batcherOf(scene.sql, chain, { batchMax: 1, batchMs: 1, log });
    const ids = await scene.accept(3);
    batcher.start();
    await eventually(() => eventRows(scene, ids), (rows) => rows.every((row) => row.status === "submitted"));
    await scene.rpc("anvil_dropTransaction", [keccak256(stranger)]);

    await eventually(() => poolOf(scene, wallet.address), (txs) => txs[String(nonce)] !== undefined, 15_000);
    await eventually(() => scene.mine().then(() => eventRows(scene, ids)), allIncluded);
    expect(log.said(/filled a nonce gap/)).toHaveLength(1);
    expect(await chain.provider.getTransactionCount(wallet.address, "latest")).toBe(nonce + 4);
    await batcher.stop();
  });

  it("shows the signer's balance and warns once when it would not pay for the next transactions", async () => {
    const log = new CapturedLog();
    const chain = await scene.operatorChain({ ...FAST_REPLACE, lowBalanceTransactions: 1_000, log });
    const metrics = new Registry();
    registerSignerMetrics(metrics, chain.writer);
    const gauge = async (name: string) => (await metrics.getSingleMetricAsString(name)).split("\n").at(-1);
    const signer = chain.writer.address;
    const before = await chain.provider.getBalance(signer);
    // 0.01 ETH pays a few mint batches at ~2 gwei, not a thousand.
    await scene.rpc("anvil_setBalance", [signer, toQuantity(parseEther("0.01"))]);
    expect(await gauge("recircle_signer_balance_eth")).toBe(`recircle_signer_balance_eth{signer="${signer}"} 0.01`);
    const batcher = batcherOf(scene.sql, chain, { batchMax: 2, batchMs: 1, log });
    const ids = await scene.accept(2);
    batcher.start();
    await submitted(ids);
    await eventually(async () => log.said(/balance would not pay/, "warn"), (lines) => lines.length === 1);
    expect(await gauge("recircle_signer_balance_low")).toBe(`recircle_signer_balance_low{signer="${signer}"} 1`);
    await eventually(() => scene.mine().then(() => eventRows(scene, ids)), allIncluded);
    await batcher.stop();
    await scene.rpc("anvil_setBalance", [signer, toQuantity(before)]);
  });
});
