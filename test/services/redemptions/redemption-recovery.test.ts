import { hexlify, randomBytes, Signature } from "ethers";
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from "vitest";
import { connectChain, DEV_WORKER_KEYS } from "../../../services/chain/network.js";
import { findRedemption, markRedemptionSubmitted } from "../../../services/db/redemptions.js";
import { startTestPaymentWorker } from "../../support/payment-fixtures.js";
import {
  fundProgram,
  governance,
  redemptionScene,
  settled,
  signRedemption,
  stablecoin,
  startTestRedemptionWorker,
  tusd,
} from "../../support/redemption-fixtures.js";
import { startStack, type Stack } from "../../support/stack.js";

let stack: Stack;
let payments: Awaited<ReturnType<typeof startTestPaymentWorker>>;
beforeAll(async () => {
  stack = await startStack({ env: { PAYMENT_BATCH_MS: "20" } });
  payments = await startTestPaymentWorker(stack);
});
afterAll(async () => {
  await payments?.close();
  await stack?.close();
});

/** A redemption of 50 tokens accepted while no redemption worker runs: pending, its job waiting. */
async function acceptedRedemption() {
  const scene = await redemptionScene(stack, { kg: 20, amount: "50" });
  await fundProgram(stack, scene.program.token, ["1"]);
  const reply = await scene.retailer.api.post("/v1/redemptions", await signRedemption(stack, scene.retailerWallet, scene.program, "50"));
  expect(reply.status, JSON.stringify(reply.body)).toBe(202);
  return { scene, id: reply.body.id as number };
}

/**
 * What a worker killed right after broadcast leaves behind: its transaction sent (with `gasLimit`, so a
 * reverting one is not stopped by the estimate) and the row submitted with `recorded(hash)`, nothing after.
 */
async function sendAndCrash(id: number, options: { recorded?: (hash: string) => string; gasLimit?: bigint } = {}) {
  const chain = await connectChain(stack.config.chainRpcUrl!, stack.deployment, DEV_WORKER_KEYS[1]);
  try {
    const row = (await findRedemption(stack.sql, BigInt(id)))!;
    const { v, r, s } = Signature.from(row.signature);
    const request = await chain.vault.redeemWithPermit.populateTransaction(row.token, row.retailer, row.tokens, row.deadline, v, r, s);
    let hash = "";
    await chain.writer
      .send({ ...request, gasLimit: options.gasLimit ?? 600_000n }, async (sent) => {
        hash = sent.hash;
        await markRedemptionSubmitted(stack.sql, row.id, options.recorded?.(sent.hash) ?? sent.hash);
      })
      .catch(() => {}); // Hardhat refuses a reverting transaction at broadcast, after mining it.
    expect(await chain.waitForReceipt(hash)).not.toBeNull();
    return hash;
  } finally {
    chain.close();
  }
}

async function restartedWorker() {
  const worker = await startTestRedemptionWorker(stack);
  onTestFinished(() => worker.close());
}

const vaultRedemptions = async () => (await stack.chain.vault.counts()).redemptions;

describe("redemption recovery", () => {
  it("settles a redemption whose transaction was mined before the worker could record the outcome", async () => {
    const { scene, id } = await acceptedRedemption();
    const hash = await sendAndCrash(id);
    const before = await vaultRedemptions();
    await restartedWorker();
    const done = await settled(scene.retailer.api, id);
    expect(done.body).toMatchObject({ status: "confirmed", txHash: hash, gross: "0.5", net: "0.4975" });
    expect(done.body.draws).toHaveLength(1);
    expect(await vaultRedemptions()).toBe(before); // settled from the receipt, not redeemed again
    expect(await stablecoin(stack).balanceOf(scene.retailerWallet.address)).toBe(tusd("0.4975"));
  });

  it("sends again when the recorded transaction never reached the chain", async () => {
    const { scene, id } = await acceptedRedemption();
    const lost = hexlify(randomBytes(32));
    await markRedemptionSubmitted(stack.sql, BigInt(id), lost);
    await restartedWorker();
    const done = await settled(scene.retailer.api, id);
    expect(done.body.status).toBe("confirmed");
    expect(done.body.txHash).not.toBe(lost);
    expect(await stablecoin(stack).balanceOf(scene.retailerWallet.address)).toBe(tusd("0.4975"));
  });

  it("finds the redemption by its spent permit when the recorded transaction is not the one that carried it", async () => {
    const { scene, id } = await acceptedRedemption();
    const hash = await sendAndCrash(id, { recorded: () => hexlify(randomBytes(32)) });
    await restartedWorker();
    const done = await settled(scene.retailer.api, id);
    expect(done.body).toMatchObject({ status: "confirmed", txHash: hash, net: "0.4975" });
    expect(await stablecoin(stack).balanceOf(scene.retailerWallet.address)).toBe(tusd("0.4975"));
  });

  it("fails with the vault's reason, replayed from the block, when the recorded transaction reverted", async () => {
    const { scene, id } = await acceptedRedemption();
    // Now worth 5 tUSD against 1 deposited: the vault refuses it.
    await (await stack.chain.vault.connect(governance(stack)).setRedemptionRate(scene.program.token, tusd("0.1"))).wait();
    const hash = await sendAndCrash(id, { gasLimit: 400_000n });
    await restartedWorker();
    const done = await settled(scene.retailer.api, id);
    expect(done.body).toMatchObject({ status: "failed", failureReason: "RC_VAULT_INSUFFICIENT_DEPOSITS", txHash: hash });
    expect(await stack.chain.token(scene.program.token).balanceOf(scene.retailerWallet.address)).toBe(50n * 10n ** 18n);
  });
});
