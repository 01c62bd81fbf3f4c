import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createQueue, paymentJobId } from "../../../services/queue/queues.js";
import { eventually } from "../../support/earn-fixtures.js";
import { anonymous, asAdmin, paymentScene, signPayment, startTestPaymentWorker } from "../../support/payment-fixtures.js";
import { startStack, type Stack } from "../../support/stack.js";
import { sleep } from "../../../harness/lib/time.js";

let stack: Stack;
let redis: Redis;
beforeAll(async () => {
  stack = await startStack();
  redis = new Redis(stack.config.redisUrl, { maxRetriesPerRequest: null });
});
afterAll(async () => {
  await redis?.quit();
  await stack?.close();
});

const status = async (id: number) => (await asAdmin(stack).get(`/v1/payments/${id}`)).body.status as string;

/** A payment accepted by the API (its job enqueued, no worker running yet) and its job's id. */
async function acceptedPayment() {
  const scene = await paymentScene(stack);
  const signed = await signPayment(stack, scene.collector, scene.program, scene.retailerWallet.address, "1", { nonces: scene.nonces });
  const accepted = await anonymous(stack).post("/v1/payments", signed.body);
  expect(accepted.status).toBe(202);
  return { id: accepted.body.id as number, jobId: paymentJobId(signed.authorization.from, signed.authorization.nonce) };
}

describe("the payment reconciler after Redis lost part of a queue", () => {
  it("re-enqueues an open payment whose job survived only as a hash, in no list (found by npm run chaos)", async () => {
    const accepted = await acceptedPayment();
    // The job's hash stays, the list that held it goes: no worker will ever take it, yet its id is taken.
    const queue = createQueue("payments", redis, stack.config.redisPrefix);
    const { jobId } = accepted;
    expect(await (await queue.getJob(jobId))!.getState()).toBe("waiting");
    await redis.del(`{${stack.config.redisPrefix}}:payments:wait`);
    expect(await (await queue.getJob(jobId))!.getState()).toBe("unknown");
    await sleep(2_100); // the reconciler leaves rows younger than 2 s be

    const worker = await startTestPaymentWorker(stack);
    try {
      expect(await worker.worker.reconcile()).toEqual({ enqueued: 1, retried: 0 });
      await eventually(() => status(accepted.id), (s) => s === "confirmed", 30_000);
    } finally {
      await worker.close();
      await queue.close();
    }
  });

  it("re-creates, rather than retries, a failed job that had lost its payload (found by npm run chaos)", async () => {
    const accepted = await acceptedPayment();
    const queue = createQueue("payments", redis, stack.config.redisPrefix);
    // What a partial loss left behind: the job's hash without its data, which the worker fails as unrecoverable.
    await redis.hdel(`{${stack.config.redisPrefix}}:payments:${accepted.jobId}`, "data");
    const worker = await startTestPaymentWorker(stack);
    try {
      await eventually(async () => (await queue.getJob(accepted.jobId))!.getState(), (state) => state === "failed", 10_000);
      expect((await queue.getJob(accepted.jobId))!.failedReason).toBe("bad paymentId undefined");
      await sleep(2_100);
      expect(await worker.worker.reconcile()).toEqual({ enqueued: 0, retried: 1 });
      await eventually(() => status(accepted.id), (s) => s === "confirmed", 30_000);
    } finally {
      await worker.close();
      await queue.close();
    }
  });
});
