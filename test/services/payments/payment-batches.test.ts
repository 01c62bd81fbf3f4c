import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { connectChain, DEV_WORKER_KEYS, type Chain } from "../../../services/chain/network.js";
import { PaymentSettler } from "../../../services/engines/payment-settler.js";
import { anonymous, paymentScene, signPayment } from "../../support/payment-fixtures.js";
import { startStack, type Stack } from "../../support/stack.js";

/** Payment batches across programs, driven by the test: no payment worker runs. */
let stack: Stack;
let worker: Chain;
beforeAll(async () => {
  stack = await startStack();
  worker = await connectChain(stack.config.chainRpcUrl!, stack.deployment, DEV_WORKER_KEYS[1]);
});
afterAll(async () => {
  worker?.close();
  await stack?.close();
});

type Scene = Awaited<ReturnType<typeof paymentScene>>;

async function accept(scene: Scene) {
  const { body } = await signPayment(stack, scene.collector, scene.program, scene.retailerWallet.address, "1", { nonces: scene.nonces });
  const reply = await anonymous(stack).post("/v1/payments", body);
  expect(reply.status, JSON.stringify(reply.body)).toBe(202);
  return BigInt(reply.body.id);
}

const rowOf = async (id: bigint) =>
  (await stack.sql<{ status: string; txHash: string | null }[]>`select status, tx_hash as "txHash" from payments where id = ${String(id)}`)[0]!;

describe("payment batches across programs", () => {
  it("settles another program's payment while a paused token's waits, sending nothing for the paused one", async () => {
    const paused = await paymentScene(stack);
    const other = await paymentScene(stack);
    const waiting = await accept(paused);
    const settled = await accept(other);
    // Paused between acceptance and relay: the token's relay would revert as a whole (whenNotPaused).
    const pause = (what: "pause" | "unpause") => paused.admin.post(`/v1/programs/${paused.program.id}/${what}`, {});
    expect((await pause("pause")).status).toBe(200);
    const sentBefore = await worker.provider.getTransactionCount(worker.writer.address);

    // One batch holds both (the paused program's first): each relay is its token's own affair.
    const settler = new PaymentSettler(stack.sql, worker, { batchMax: 2, batchMs: 1_000 });
    const [first, second] = await Promise.allSettled([settler.settle(waiting), settler.settle(settled)]);
    expect(second).toMatchObject({ status: "fulfilled", value: { status: "included" } });
    expect(first.status).toBe("rejected"); // not settled yet: the queue retries it
    expect(await rowOf(waiting)).toEqual({ status: "pending", txHash: null });
    // Only the other program's relay left the worker: nothing was sent to revert on the paused token.
    expect(await worker.provider.getTransactionCount(worker.writer.address)).toBe(sentBefore + 1);

    expect((await pause("unpause")).status).toBe(200);
    expect(await settler.settle(waiting)).toMatchObject({ status: "included" });
  });
});
