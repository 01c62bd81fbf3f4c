import { setTimeout as sleep } from "node:timers/promises";
import { Wallet } from "ethers";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { connectChain, DEV_WORKER_KEYS, type Chain } from "../../../services/chain/network.js";
import { PaymentSettler } from "../../../services/engines/payment-settler.js";
import { RewardToken__factory } from "../../../types/ethers-contracts/index.js";
import { client } from "../../support/client.js";
import { DEV_GOVERNANCE_KEY } from "../../support/deploy.js";
import { eventually, idempotencyKey, recyclingScene } from "../../support/earn-fixtures.js";
import { anonymous, paymentScene, signPayment } from "../../support/payment-fixtures.js";
import { startStack, type Stack } from "../../support/stack.js";

/** Issue 13: an admin pauses and unpauses a program's token on chain, through the operator's one sender. */
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

const admin = () => client(stack.app, stack.adminKey);
const auditOf = (subject: string) => stack.sql`select action, before, after from audit_log where subject = ${subject} order by id`;
const pauseWrites = (programId: number) =>
  stack.sql`select status from chain_writes where kind = 'program.pause' and subject like ${`${programId}:%`}`;

/** Governance (the token's admin) takes the pauser role back from the operator's key, which the deployment gave it. */
async function revokePauser(token: string) {
  const governed = RewardToken__factory.connect(token, new Wallet(DEV_GOVERNANCE_KEY, stack.chain.provider));
  await (await governed.revokeRole(await governed.PAUSER_ROLE(), stack.deployment.operator)).wait();
}

describe("pausing a program's token", () => {
  it("is refused with a 409 while the operator's key does not hold PAUSER_ROLE, recording nothing", async () => {
    const scene = await recyclingScene(stack);
    await revokePauser(scene.program.token);
    const refused = await admin().post(`/v1/programs/${scene.program.id}/pause`);
    expect([refused.status, refused.body.error.code]).toEqual([409, "RC_OPERATOR_NOT_PAUSER"]);
    expect(await stack.chain.token(scene.program.token).paused()).toBe(false);
    expect(await pauseWrites(scene.program.id)).toEqual([]);
    expect(await auditOf(`program:${scene.program.id}`)).toEqual([]);
  });

  it("pauses the token on chain, its mints wait, and unpaused they go on; the list shows the state, each step audited", async () => {
    const scene = await recyclingScene(stack);
    const paused = await admin().post(`/v1/programs/${scene.program.id}/pause`);
    expect(paused.status, JSON.stringify(paused.body)).toBe(200);
    expect(paused.body).toMatchObject({ programId: scene.program.id, paused: true, txHash: expect.stringMatching(/^0x[0-9a-f]{64}$/) });
    expect(await stack.chain.token(scene.program.token).paused()).toBe(true);
    const listed = (await admin().get("/v1/programs")).body.find((p: { id: number }) => p.id === scene.program.id);
    expect(listed.paused).toBe(true);
    // Asked again: the token is paused already, nothing is sent.
    expect((await admin().post(`/v1/programs/${scene.program.id}/pause`)).body).toEqual({ programId: scene.program.id, paused: true, txHash: null });

    // A drop-off accepted while paused waits, unsent: the token would refuse its mint.
    const dropOff = await scene.point.api.post(
      "/v1/collections",
      { programId: scene.program.id, collector: scene.collector.address, material: "PET", grams: 1_000 },
      idempotencyKey(),
    );
    expect(dropOff.status).toBe(202);
    await sleep(3_000);
    expect((await scene.point.api.get(`/v1/collections/${dropOff.body.id}`)).body.status).toBe("pending");
    expect(await stack.chain.token(scene.program.token).balanceOf(scene.collector.address)).toBe(0n);

    const unpaused = await admin().post(`/v1/programs/${scene.program.id}/unpause`);
    expect(unpaused.body).toMatchObject({ paused: false, txHash: expect.stringMatching(/^0x/) });
    expect((await admin().get(`/v1/programs/${scene.program.id}`)).body.paused).toBe(false);
    await eventually(() => scene.point.api.get(`/v1/collections/${dropOff.body.id}`), (r) => r.body.status === "confirmed", 30_000);
    expect(await stack.chain.token(scene.program.token).balanceOf(scene.collector.address)).toBe(25n * 10n ** 17n);

    const audit = await auditOf(`program:${scene.program.id}`);
    expect(audit.map((a) => [a.action, a.before, a.after.paused])).toEqual([
      ["program.pause", { paused: false }, true],
      ["program.unpause", { paused: true }, false],
    ]);
    expect((await pauseWrites(scene.program.id)).map((w) => w.status)).toEqual([expect.stringMatching(/included|confirmed/), expect.stringMatching(/included|confirmed/)]);
  });

  it("answers an unknown program with a 404 and refuses every other kind of caller", async () => {
    const scene = await recyclingScene(stack);
    for (const verb of ["pause", "unpause"]) {
      const unknown = await admin().post(`/v1/programs/999999999/${verb}`);
      expect([unknown.status, unknown.body.error.code]).toEqual([404, "RC_PROGRAM_NOT_FOUND"]);
      expect((await admin().post(`/v1/programs/0/${verb}`)).status).toBe(400);
      expect((await scene.point.api.post(`/v1/programs/${scene.program.id}/${verb}`)).status).toBe(403);
      expect((await client(stack.app).post(`/v1/programs/${scene.program.id}/${verb}`)).status).toBe(401);
    }
    expect(await stack.chain.token(scene.program.token).paused()).toBe(false);
  });

  it("holds a payment of the paused token, unsent, and settles it once the token is unpaused", async () => {
    const scene = await paymentScene(stack);
    expect((await admin().post(`/v1/programs/${scene.program.id}/pause`)).body.paused).toBe(true);
    const { body } = await signPayment(stack, scene.collector, scene.program, scene.retailerWallet.address, "1", { nonces: scene.nonces });
    const accepted = await anonymous(stack).post("/v1/payments", body);
    expect(accepted.status, JSON.stringify(accepted.body)).toBe(202);
    const id = BigInt(accepted.body.id);

    const settler = new PaymentSettler(stack.sql, worker, { batchMax: 1, batchMs: 50 });
    const sentBefore = await worker.provider.getTransactionCount(worker.writer.address);
    await expect(settler.settle(id)).rejects.toThrow();
    expect(await worker.provider.getTransactionCount(worker.writer.address)).toBe(sentBefore);
    expect(await stack.chain.token(scene.program.token).balanceOf(scene.retailerWallet.address)).toBe(0n);

    expect((await admin().post(`/v1/programs/${scene.program.id}/unpause`)).body.paused).toBe(false);
    expect(await settler.settle(id)).toMatchObject({ status: "included" });
    expect(await stack.chain.token(scene.program.token).balanceOf(scene.retailerWallet.address)).toBe(10n ** 18n);
  });
});
