import { Signature } from "ethers";
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from "vitest";
import { connectChain, DEV_WORKER_KEYS } from "../../../services/chain/network.js";
import { RedemptionSettler } from "../../../services/engines/redemption-settler.js";
import { findRedemption, findRedemptions, markRedemptionsSubmitted } from "../../../services/db/redemptions.js";
import { permitRedemption } from "../../../services/engines/redemption-screen.js";
import { startTestPaymentWorker } from "../../support/payment-fixtures.js";
import {
  anotherRetailer,
  fundProgram,
  governance,
  redemptionScene,
  settled,
  signRedemption,
  stablecoin,
  redemptionWorkerForThisTest,
  tusd,
} from "../../support/redemption-fixtures.js";
import { startStack, type Stack } from "../../support/stack.js";
import { RewardToken__factory } from "../../../types/ethers-contracts/index.js";

let stack: Stack;
let payments: Awaited<ReturnType<typeof startTestPaymentWorker>>;
beforeAll(async () => {
  stack = await startStack({ env: { PAYMENT_BATCH_MS: "20", REDEMPTION_BATCH_MS: "100" } });
  payments = await startTestPaymentWorker(stack);
});
afterAll(async () => {
  await payments?.close();
  await stack?.close();
});

/** Three retailers of one program, each paid 50 tokens, redeeming them all while no redemption worker runs. */
async function threeAccepted(deposits: string[]) {
  const scene = await redemptionScene(stack, { kg: 60, amount: "50" });
  const others = [await anotherRetailer(stack, scene, "50"), await anotherRetailer(stack, scene, "50")];
  await fundProgram(stack, scene.program.token, deposits);
  const retailers = [{ api: scene.retailer.api, wallet: scene.retailerWallet }, ...others.map((o) => ({ api: o.api, wallet: o.wallet }))];
  const ids: number[] = [];
  for (const { api, wallet } of retailers) {
    const reply = await api.post("/v1/redemptions", await signRedemption(stack, wallet, scene.program, "50"));
    expect(reply.status, JSON.stringify(reply.body)).toBe(202);
    ids.push(reply.body.id as number);
  }
  return { scene, retailers, ids };
}


const vaultRedemptions = async () => (await stack.chain.vault.counts()).redemptions;

describe("redemption batches", () => {
  it("redeems several retailers' redemptions in one transaction and fails the one the vault skips, with its reason", async () => {
    const { scene, retailers, ids } = await threeAccepted(["1.5"]);
    // Governance raises the rate by half: each 50 tokens now need 0.75 tUSD, and the 1.5 deposited pay two.
    await (await stack.chain.vault.connect(governance(stack)).setRedemptionRate(scene.program.token, tusd("0.015"))).wait();
    const before = await vaultRedemptions();

    await redemptionWorkerForThisTest(stack);
    const outcomes = (await Promise.all(ids.map((id, i) => settled(retailers[i]!.api, id)))).map((r) => r.body);

    expect(outcomes.map((o) => o.status).sort()).toEqual(["confirmed", "confirmed", "failed"]);
    expect(new Set(outcomes.map((o) => o.txHash)).size).toBe(1); // one redeemWithPermitBatch carried all three
    const paid = outcomes.findIndex((o) => o.status === "confirmed");
    const skipped = outcomes.findIndex((o) => o.status === "failed");
    expect(outcomes[paid]).toMatchObject({ gross: "0.75", fee: "0.00375", net: "0.74625" });
    expect(outcomes[paid].draws).toHaveLength(1);
    expect(outcomes[skipped]).toMatchObject({ failureReason: "RC_VAULT_INSUFFICIENT_DEPOSITS", gross: null, draws: [] });
    expect(outcomes[skipped].blockNumber).toBe(outcomes[paid].blockNumber);
    expect(await vaultRedemptions()).toBe(before + 2n);
    expect(await stablecoin(stack).balanceOf(retailers[paid]!.wallet.address)).toBe(tusd("0.74625"));
    expect(await stack.chain.token(scene.program.token).balanceOf(retailers[skipped]!.wallet.address)).toBe(50n * 10n ** 18n);
    // The failed one's permit nonce is unused: the retailer may sign the same nonce again.
    expect(await stack.chain.token(scene.program.token).nonces(retailers[skipped]!.wallet.address)).toBe(0n);
  });

  it("settles a batch mined before the worker recorded its outcome from the receipt, without redeeming again", async () => {
    const { retailers, ids } = await threeAccepted(["2"]);
    const chain = await connectChain(stack.config.chainRpcUrl!, stack.deployment, DEV_WORKER_KEYS[1]);
    let hash = "";
    try {
      const rows = await Promise.all(ids.map(async (id) => (await findRedemption(stack.sql, BigInt(id)))!));
      const items = rows.map((row) => {
        const { v, r, s } = Signature.from(row.signature);
        return { program: row.token, retailer: row.retailer, tokens: row.tokens, deadline: row.deadline, v, r, s };
      });
      const request = await chain.vault.redeemWithPermitBatch.populateTransaction(items);
      // The worker "crashed" right after broadcast: the rows hold the hash, nothing else.
      ({ hash } = await chain.writer.send({ ...request, gasLimit: 2_000_000n }, (sent) =>
        markRedemptionsSubmitted(stack.sql, rows.map((row) => row.id), sent.hash),
      ));
      expect((await chain.waitForReceipt(hash))?.status).toBe(1);
    } finally {
      chain.close();
    }
    const before = await vaultRedemptions();

    await redemptionWorkerForThisTest(stack);
    const outcomes = (await Promise.all(ids.map((id, i) => settled(retailers[i]!.api, id)))).map((r) => r.body);

    for (const outcome of outcomes) expect(outcome).toMatchObject({ status: "confirmed", txHash: hash, net: "0.4975" });
    expect(await vaultRedemptions()).toBe(before);
    for (const { wallet } of retailers) expect(await stablecoin(stack).balanceOf(wallet.address)).toBe(tusd("0.4975"));
  });

  it("sends a batch that ran out of gas again with twice the gas, and pays each redemption once", async () => {
    const { retailers, ids } = await threeAccepted(["2"]);
    const chain = await connectChain(stack.config.chainRpcUrl!, stack.deployment, DEV_WORKER_KEYS[1]);
    onTestFinished(() => chain.close());
    // 150k + 3 × 60k cannot pay three retailers' first redemptions of a new program (over 390k); 150k + 3 × 120k can.
    const settler = new RedemptionSettler(stack.sql, chain, { batchMax: 3, batchMs: 20, gasPerRedemption: 60_000n });
    const before = await vaultRedemptions();

    const first = await Promise.allSettled(ids.map((id) => settler.settle(BigInt(id))));
    expect(first.map((r) => r.status)).toEqual(["rejected", "rejected", "rejected"]); // retried by their jobs
    const starved = (await findRedemption(stack.sql, BigInt(ids[0]!)))!;
    expect(starved).toMatchObject({ status: "pending", txHash: null });
    expect(await vaultRedemptions()).toBe(before);

    const second = await Promise.all(ids.map((id) => settler.settle(BigInt(id))));
    expect(second.map((o) => o?.status)).toEqual(["confirmed", "confirmed", "confirmed"]);
    expect(await vaultRedemptions()).toBe(before + 3n);
    for (const { wallet } of retailers) expect(await stablecoin(stack).balanceOf(wallet.address)).toBe(tusd("0.4975"));
  });

  /** Two programs' redemptions accepted, then program A's token takes the vault's burner role away. */
  async function oneTokenRefusesTheBurn() {
    const refusing = await redemptionScene(stack, { kg: 60, amount: "50" });
    const other = await redemptionScene(stack, { kg: 60, amount: "50" });
    await fundProgram(stack, refusing.program.token, ["1"]);
    await fundProgram(stack, other.program.token, ["1"]);
    const ids: bigint[] = [];
    for (const scene of [refusing, other]) {
      const reply = await scene.retailer.api.post("/v1/redemptions", await signRedemption(stack, scene.retailerWallet, scene.program, "50"));
      expect(reply.status, JSON.stringify(reply.body)).toBe(202);
      ids.push(BigInt(reply.body.id));
    }
    // No skip covers it: its burnFrom reverts the whole relay, every program's redemptions with it.
    const token = RewardToken__factory.connect(refusing.program.token, governance(stack));
    await (await token.revokeRole(await token.BURNER_ROLE(), stack.deployment.contracts.vault)).wait();
    const chain = await connectChain(stack.config.chainRpcUrl!, stack.deployment, DEV_WORKER_KEYS[1]);
    onTestFinished(() => chain.close());
    return { refusing, other, ids, token, chain };
  }

  it("fails only the redemption whose token refuses the vault's burn, and pays the other program's in the same round", async () => {
    const { refusing, other, ids, token, chain } = await oneTokenRefusesTheBurn();
    const settler = new RedemptionSettler(stack.sql, chain, { batchMax: 2, batchMs: 20 });
    const before = await vaultRedemptions();

    const [failed, paid] = await Promise.all(ids.map((id) => settler.settle(id)));
    expect(failed).toMatchObject({ status: "failed", reason: "RC_ACCESS_CONTROL_UNAUTHORIZED_ACCOUNT" });
    expect(paid).toMatchObject({ status: "confirmed" });
    expect(await vaultRedemptions()).toBe(before + 1n);
    expect(await stablecoin(stack).balanceOf(other.retailerWallet.address)).toBe(tusd("0.4975"));
    // The refused retailer keeps its tokens and its permit's nonce.
    expect(await token.balanceOf(refusing.retailerWallet.address)).toBe(50n * 10n ** 18n);
    expect(await token.nonces(refusing.retailerWallet.address)).toBe(0n);
  });

  it("after a crash, fails only the refused redemption of a batch that reverted, and pays the other", async () => {
    const { ids, chain } = await oneTokenRefusesTheBurn();
    const rows = await findRedemptions(stack.sql, ids);
    // A previous run recorded the relay and died; it mined, reverted.
    const request = await chain.vault.redeemWithPermitBatch.populateTransaction(rows.map(permitRedemption));
    let hash = "";
    await chain.writer.send({ ...request, gasLimit: 2_000_000n }, async (sent) => {
      hash = sent.hash;
      await markRedemptionsSubmitted(stack.sql, ids, sent.hash);
    }).catch(() => {}); // Hardhat's automine mines it, then refuses it at broadcast
    expect((await chain.provider.getTransactionReceipt(hash))?.status).toBe(0);

    const settler = new RedemptionSettler(stack.sql, chain, { batchMax: 2, batchMs: 20 });
    const [failed, paid] = await Promise.all(ids.map((id) => settler.settle(id)));
    expect(failed).toMatchObject({ status: "failed", reason: "RC_ACCESS_CONTROL_UNAUTHORIZED_ACCOUNT" });
    expect(paid).toMatchObject({ status: "confirmed" });
  });
});
