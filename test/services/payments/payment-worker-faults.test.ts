import { VRS } from "../../../services/chain/eip3009.js";
import { parseUnits, Signature, Wallet } from "ethers";
import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEV_WORKER_KEYS } from "../../../services/chain/network.js";
import { eventually } from "../../support/earn-fixtures.js";
import { anonymous, asAdmin, paymentScene, signPayment } from "../../support/payment-fixtures.js";
import { startStack, type Stack } from "../../support/stack.js";
import { exited, spawnWorker } from "../../support/worker-process.js";

let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(() => stack?.close());

const FAST = { JOB_LOCK_MS: "1500", PAYMENT_BATCH_MAX: "10", PAYMENT_BATCH_MS: "30" };

/** `count` payments of 1 token from the scene's collector, accepted by the API (nothing settles them yet). */
async function acceptPayments(scene: Awaited<ReturnType<typeof paymentScene>>, count: number) {
  const ids: number[] = [];
  for (let i = 0; i < count; i++) {
    const { body } = await signPayment(stack, scene.collector, scene.program, scene.retailerWallet.address, "1", { nonces: scene.nonces });
    const reply = await anonymous(stack).post("/v1/payments", body);
    expect(reply.status, JSON.stringify(reply.body)).toBe(202);
    ids.push(reply.body.id);
  }
  return ids;
}

const statuses = async (ids: number[]) =>
  Object.fromEntries(
    (await stack.sql<{ status: string; n: number }[]>`
      select status, count(*)::int as n from payments where id = any(${stack.sql.array(ids.map(String))}::bigint[]) group by status`
    ).map((r) => [r.status, r.n]),
  );

/** Every accepted payment moved the retailer's tokens exactly once, by its own AuthorizationUsed. */
async function expectSettledOnce(scene: Awaited<ReturnType<typeof paymentScene>>, ids: number[], before = 0n) {
  expect(await statuses(ids)).toEqual({ confirmed: ids.length });
  const token = stack.chain.token(scene.program.token);
  expect(await token.balanceOf(scene.retailerWallet.address)).toBe(before + parseUnits(String(ids.length), 18));
  const used = await token.queryFilter(token.filters.AuthorizationUsed(scene.collector.address), stack.deployment.startBlock);
  const nonces = used.map((log) => log.args.nonce);
  expect(new Set(nonces).size).toBe(nonces.length);
  const rows = await stack.sql<{ nonce: string; txHash: string }[]>`
    select nonce, tx_hash as "txHash" from payments where id = any(${stack.sql.array(ids.map(String))}::bigint[])`;
  const byNonce = new Map(used.map((log) => [log.args.nonce, log.transactionHash]));
  for (const row of rows) expect(byNonce.get(row.nonce)).toBe(row.txHash);
}

describe("the payment worker under faults", () => {
  it("settles every payment exactly once when its process is killed mid-run and another takes over", async () => {
    const scene = await paymentScene(stack, 40); // 100 tokens
    const ids = await acceptPayments(scene, 60);
    const first = spawnWorker(stack, "payments", { ...FAST, PAYMENT_WORKER_PRIVATE_KEY: DEV_WORKER_KEYS[0] });
    const progress = await eventually(() => statuses(ids), (s) => (s.confirmed ?? 0) > 0, 30_000);
    first.kill("SIGKILL");
    expect(await exited(first)).toBe("SIGKILL");
    expect(progress.confirmed ?? 0).toBeLessThan(60);

    const second = spawnWorker(stack, "payments", { ...FAST, PAYMENT_WORKER_PRIVATE_KEY: DEV_WORKER_KEYS[1] });
    await eventually(() => statuses(ids), (s) => s.confirmed === 60, 45_000);
    second.kill("SIGTERM");
    await exited(second);
    await expectSettledOnce(scene, ids);
  });

  it("loses nothing when Redis forgets the jobs before any worker ran: the reconciler re-enqueues from PostgreSQL", async () => {
    const scene = await paymentScene(stack);
    const ids = await acceptPayments(scene, 8);
    const redis = new Redis(stack.config.redisUrl);
    const keys = await redis.keys(`{${stack.config.redisPrefix}}:payments:*`);
    expect(keys.length).toBeGreaterThan(0);
    await redis.del(...keys);
    await redis.quit();

    const worker = spawnWorker(stack, "payments", { ...FAST, PAYMENT_WORKER_PRIVATE_KEY: DEV_WORKER_KEYS[0] });
    await eventually(() => statuses(ids), (s) => s.confirmed === 8, 30_000);
    worker.kill("SIGTERM");
    await exited(worker);
    expect(worker.output.join("")).toMatch(/re-enqueued 8/);
    await expectSettledOnce(scene, ids);
  });

  it("shares one queue between two worker processes with their own keys: no payment twice, no nonce clash", async () => {
    const scene = await paymentScene(stack, 40);
    const ids = await acceptPayments(scene, 50);
    const workers = DEV_WORKER_KEYS.map((key) => spawnWorker(stack, "payments", { ...FAST, PAYMENT_WORKER_PRIVATE_KEY: key }));
    await eventually(() => statuses(ids), (s) => s.confirmed === 50, 45_000);
    for (const worker of workers) worker.kill("SIGTERM");
    await Promise.all(workers.map(exited));
    await expectSettledOnce(scene, ids);
    const senders = await stack.sql<{ txHash: string }[]>`
      select distinct tx_hash as "txHash" from payments where id = any(${stack.sql.array(ids.map(String))}::bigint[])`;
    const workerAddresses = DEV_WORKER_KEYS.map((key) => new Wallet(key).address);
    for (const { txHash } of senders) {
      expect(workerAddresses).toContain((await stack.chain.provider.getTransaction(txHash))!.from);
    }
  });

  it("confirms a payment the collector settled on chain before the worker did, with that transaction", async () => {
    const scene = await paymentScene(stack);
    const signed = await signPayment(stack, scene.collector, scene.program, scene.retailerWallet.address, "1", { nonces: scene.nonces });
    const accepted = await anonymous(stack).post("/v1/payments", signed.body);
    const a = signed.authorization;
    const { v, r, s } = Signature.from(signed.signature);
    const token = stack.chain.token(scene.program.token);
    const direct = await (await token[VRS.transferWithAuthorization](a.from, a.to, a.value, a.validAfter, a.validBefore, a.nonce, v, r, s)).wait();

    const worker = spawnWorker(stack, "payments", { ...FAST, PAYMENT_WORKER_PRIVATE_KEY: DEV_WORKER_KEYS[0] });
    const settled = await eventually(() => asAdmin(stack).get(`/v1/payments/${accepted.body.id}`), (x) => x.body.status === "confirmed", 30_000);
    worker.kill("SIGTERM");
    await exited(worker);
    expect(settled.body.txHash).toBe(direct!.hash);
    expect(await token.balanceOf(scene.retailerWallet.address)).toBe(parseUnits("1", 18));
  });
});
