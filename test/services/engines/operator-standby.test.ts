import type { ChildProcess } from "node:child_process";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eventually, idempotencyKey, recyclingScene } from "../../support/earn-fixtures.js";
import { startStack, type Stack } from "../../support/stack.js";
import { exited, spawnWorker } from "../../support/worker-process.js";

/** Two copies of workers/operator.ts on one key: the second waits, and takes over when the first is killed. */
let stack: Stack;
const children: ChildProcess[] = [];
beforeAll(async () => {
  stack = await startStack({ runOperator: false });
});
afterAll(async () => {
  for (const child of children) child.kill("SIGKILL");
  await stack?.close();
});

const said = (child: ReturnType<typeof spawnWorker>, words: string) => eventually(async () => child.output.join(""), (out) => out.includes(words));

describe("the operator sender", () => {
  it("runs once per key: a second copy stands by, and finishes the work after the first is killed with SIGKILL", async () => {
    const first = spawnWorker(stack, "operator", { LOG_LEVEL: "info", BATCH_MS: "50" });
    children.push(first);
    await said(first, "operator sender started");
    const second = spawnWorker(stack, "operator", { LOG_LEVEL: "info", BATCH_MS: "50" });
    children.push(second);
    await said(second, "standing by");

    const scene = await recyclingScene(stack);
    const drop = async () => {
      const reply = await scene.point.api.post(
        "/v1/collections",
        { programId: scene.program.id, collector: scene.collector.address, material: "PET", grams: 2_000 },
        idempotencyKey(),
      );
      expect(reply.status, JSON.stringify(reply.body)).toBe(202);
      return (await eventually(() => scene.point.api.get(`/v1/collections/${reply.body.id}`), (r) => r.body.status === "confirmed")).body;
    };
    const before = await drop();
    expect(second.output.join("")).not.toContain("operator sender started");

    first.kill("SIGKILL");
    expect(await exited(first)).toBe("SIGKILL");
    const after = await drop();
    await said(second, "operator sender started");
    const reversal = await scene.admin.post(`/v1/events/${before.id}/reverse`, { reason: "weighed twice" });
    expect(reversal.status, JSON.stringify(reversal.body)).toBe(200);
    expect(reversal.body).toMatchObject({ status: expect.stringMatching(/^(included|confirmed)$/), burned: "5" });

    // Both copies signed as the operator, one after the other: every transaction is the operator's, in nonce order.
    const senders = await Promise.all(
      [before.txHash, after.txHash, reversal.body.txHash].map(async (hash: string) => (await stack.chain.provider.getTransaction(hash))!),
    );
    expect(new Set(senders.map((tx) => tx.from))).toEqual(new Set([stack.deployment.operator]));
    expect(senders[1]!.nonce).toBeGreaterThan(senders[0]!.nonce);
    const [{ open }] = (await stack.sql`select count(*)::int as open from chain_writes where status in ('queued', 'submitted')`) as unknown as [{ open: number }];
    expect(open).toBe(0);

    second.kill("SIGTERM");
    expect(await exited(second)).toBe("0");
  });
});
