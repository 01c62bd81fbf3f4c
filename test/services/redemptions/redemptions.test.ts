import { Wallet } from "ethers";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { client } from "../../support/client.js";
import { admit, eventually } from "../../support/earn-fixtures.js";
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
  tokens,
  tusd,
} from "../../support/redemption-fixtures.js";
import { DEV_BLOCK_INTERVAL_MS } from "../../../scripts/local-chain.js";
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


const countRedemptions = async () => (await stack.sql`select count(*)::int as n from redemptions`)[0]!.n as number;

describe("redemptions", () => {
  it("redeems a retailer's tokens for the sponsors' stablecoin, oldest deposit first, the fee to the treasury", async () => {
    const scene = await redemptionScene(stack); // the retailer holds 150 tokens, worth 1.5 tUSD at 0.01
    const [first, second] = await fundProgram(stack, scene.program.token, ["1", "1"]);
    const token = stack.chain.token(scene.program.token);
    const treasuryBefore = await stablecoin(stack).balanceOf(stack.deployment.governance);
    const supplyBefore = await token.totalSupply();

    const accepted = await scene.retailer.api.post("/v1/redemptions", await signRedemption(stack, scene.retailerWallet, scene.program, "150"));
    expect(accepted.status, JSON.stringify(accepted.body)).toBe(202);
    expect(accepted.body).toMatchObject({ status: "pending", tokens: "150", gross: null, draws: [] });
    await redemptionWorkerForThisTest(stack);
    const done = await settled(scene.retailer.api, accepted.body.id);

    expect(done.body).toMatchObject({
      status: "confirmed",
      retailer: scene.retailerWallet.address,
      gross: "1.5",
      fee: "0.0075", // 50 bps, rounded up
      net: "1.4925",
      failureReason: null,
      draws: [
        { sponsor: first, amount: "1" },
        { sponsor: second, amount: "0.5" },
      ],
    });
    expect(done.body.txHash).toMatch(/^0x[0-9a-f]{64}$/);
    expect(done.body.blockNumber).toBeGreaterThan(0);
    expect(await stablecoin(stack).balanceOf(scene.retailerWallet.address)).toBe(tusd("1.4925"));
    expect((await stablecoin(stack).balanceOf(stack.deployment.governance)) - treasuryBefore).toBe(tusd("0.0075"));
    expect(await token.balanceOf(scene.retailerWallet.address)).toBe(0n);
    expect(supplyBefore - (await token.totalSupply())).toBe(tokens("150"));
    const [drawnFirst, drawnSecond] = done.body.draws.map((d: { depositId: number }) => d.depositId);
    expect(await stack.chain.vault.depositRemaining(drawnFirst)).toBe(0n);
    expect(await stack.chain.vault.depositRemaining(drawnSecond)).toBe(tusd("0.5"));

    // The admin sees it; another retailer learns nothing, not even that it exists.
    const asAdmin = await client(stack.app, stack.adminKey).get(`/v1/redemptions/${accepted.body.id}`);
    expect(asAdmin.body.status).toBe("confirmed");
    const stranger = await admit(stack, "retailer", "Another shop", Wallet.createRandom().address);
    const hidden = await stranger.api.get(`/v1/redemptions/${accepted.body.id}`);
    expect(hidden.status).toBe(404);
    expect(hidden.body.error.code).toBe("RC_REDEMPTION_NOT_FOUND");
  });

  it("refuses a permit that is not the retailer's for this amount, nonce and vault, and stores nothing", async () => {
    const scene = await redemptionScene(stack, { kg: 20, amount: "50" });
    await fundProgram(stack, scene.program.token, ["1"]);
    const nonce = await stack.chain.token(scene.program.token).nonces(scene.retailerWallet.address);
    const sign = (options: Parameters<typeof signRedemption>[4]) => signRedemption(stack, scene.retailerWallet, scene.program, "50", options);
    const before = await countRedemptions();
    for (const [body, code] of [
      [await sign({ signer: Wallet.createRandom() }), "RC_INVALID_PERMIT"],
      [await sign({ signedAmount: "49" }), "RC_INVALID_PERMIT"],
      [await sign({ nonce: nonce + 1n }), "RC_INVALID_PERMIT"],
      [await sign({ deadline: Math.floor(Date.now() / 1000) + 3 }), "RC_PERMIT_EXPIRED"],
      [await signRedemption(stack, scene.retailerWallet, scene.program, "50.5"), "RC_INSUFFICIENT_BALANCE"],
      [await signRedemption(stack, scene.retailerWallet, scene.program, "0"), "RC_INVALID_AMOUNT"],
    ] as const) {
      const reply = await scene.retailer.api.post("/v1/redemptions", body);
      expect(reply.status, JSON.stringify(reply.body)).toBe(400);
      expect(reply.body.error.code).toBe(code);
    }
    expect(await countRedemptions()).toBe(before);
  });

  it("refuses what the deposits, less the program's open redemptions, cannot pay", async () => {
    const scene = await redemptionScene(stack, { kg: 80 }); // 150 of 200 tokens to the retailer: 1.5 tUSD
    await fundProgram(stack, scene.program.token, ["1"]);
    const beyond = await scene.retailer.api.post("/v1/redemptions", await signRedemption(stack, scene.retailerWallet, scene.program, "150"));
    expect(beyond.status).toBe(400);
    expect(beyond.body.error).toMatchObject({ code: "RC_INSUFFICIENT_DEPOSITS", details: { available: "1", needed: "1.5" } });

    // 0.8 of the 1 tUSD is spoken for by a redemption not yet relayed (no worker runs here).
    const open = await scene.retailer.api.post("/v1/redemptions", await signRedemption(stack, scene.retailerWallet, scene.program, "80"));
    expect(open.status, JSON.stringify(open.body)).toBe(202);
    const other = await anotherRetailer(stack, scene, "30");
    const refused = await other.api.post("/v1/redemptions", await signRedemption(stack, other.wallet, scene.program, "30"));
    expect(refused.status).toBe(400);
    expect(refused.body.error.details).toEqual({ available: "0.2", needed: "0.3" });
    const fits = await other.api.post("/v1/redemptions", await signRedemption(stack, other.wallet, scene.program, "20"));
    expect(fits.status, JSON.stringify(fits.body)).toBe(202);
  });

  it("holds one open redemption per retailer and program: a second gets 409 until the first is final", async () => {
    const scene = await redemptionScene(stack);
    await fundProgram(stack, scene.program.token, ["1"]);
    const first = await scene.retailer.api.post("/v1/redemptions", await signRedemption(stack, scene.retailerWallet, scene.program, "40"));
    expect(first.status, JSON.stringify(first.body)).toBe(202);
    const second = await scene.retailer.api.post("/v1/redemptions", await signRedemption(stack, scene.retailerWallet, scene.program, "40"));
    expect(second.status).toBe(409);
    expect(second.body.error.code).toBe("RC_REDEMPTION_IN_PROGRESS");

    await redemptionWorkerForThisTest(stack);
    expect((await settled(scene.retailer.api, first.body.id)).body.status).toBe("confirmed");
    // The first permit spent nonce 0; the next one is signed for nonce 1.
    const third = await scene.retailer.api.post("/v1/redemptions", await signRedemption(stack, scene.retailerWallet, scene.program, "40"));
    expect(third.status, JSON.stringify(third.body)).toBe(202);
    expect((await settled(scene.retailer.api, third.body.id)).body.status).toBe("confirmed");
    expect(await stack.chain.token(scene.program.token).balanceOf(scene.retailerWallet.address)).toBe(tokens("70"));
  });

  it("lets only a retailer that accepts the program redeem", async () => {
    const scene = await redemptionScene(stack, { kg: 4, amount: "10" });
    const body = await signRedemption(stack, scene.retailerWallet, scene.program, "10");
    const asPoint = await scene.point.api.post("/v1/redemptions", body);
    expect(asPoint.status).toBe(403);
    expect(asPoint.body.error.code).toBe("RC_WRONG_ROLE");
    const outsider = await admit(stack, "retailer", "Not in the program", Wallet.createRandom().address);
    const notAcceptor = await outsider.api.post("/v1/redemptions", body);
    expect(notAcceptor.status).toBe(403);
    expect(notAcceptor.body.error.code).toBe("RC_NOT_ACCEPTOR");
    expect((await client(stack.app).post("/v1/redemptions", body)).status).toBe(401);
  });

  it("fails a redemption the vault refuses once mined, with the vault's error as the reason", async () => {
    const scene = await redemptionScene(stack, { kg: 40, amount: "50" });
    const other = await anotherRetailer(stack, scene, "50");
    await fundProgram(stack, scene.program.token, ["1"]);
    const ids: number[] = [];
    for (const [api, wallet] of [[scene.retailer.api, scene.retailerWallet], [other.api, other.wallet]] as const) {
      const reply = await api.post("/v1/redemptions", await signRedemption(stack, wallet, scene.program, "50"));
      expect(reply.status, JSON.stringify(reply.body)).toBe(202); // 0.5 + 0.5 of the 1 tUSD
      ids.push(reply.body.id as number);
    }
    // Governance raises the rate by half: each now needs 0.75, and the deposits pay only one.
    const raise = await stack.chain.vault.connect(governance(stack)).setRedemptionRate(scene.program.token, tusd("0.015"));
    await raise.wait();

    // Both are sent before either is mined, so the second's dry run passes and only the chain refuses it.
    const admin = client(stack.app, stack.adminKey);
    // Nothing mines until the test says so: neither on arrival nor on the dev node's interval.
    await stack.chain.provider.send("evm_setAutomine", [false]);
    await stack.chain.provider.send("evm_setIntervalMining", [0]);
    try {
      await redemptionWorkerForThisTest(stack);
      await eventually(
        () => Promise.all(ids.map((id) => admin.get(`/v1/redemptions/${id}`))),
        (replies) => replies.every((r) => r.body.status === "submitted"),
      );
      await stack.chain.provider.send("evm_mine", []);
    } finally {
      await stack.chain.provider.send("evm_setAutomine", [true]);
      await stack.chain.provider.send("evm_setIntervalMining", [DEV_BLOCK_INTERVAL_MS]);
    }
    const outcomes = (await Promise.all(ids.map((id) => settled(admin, id)))).map((r) => r.body);

    expect(outcomes.map((o) => o.status).sort()).toEqual(["confirmed", "failed"]);
    const failed = outcomes.find((o) => o.status === "failed")!;
    expect(failed).toMatchObject({ failureReason: "RC_VAULT_INSUFFICIENT_DEPOSITS", gross: null, draws: [] });
    expect(failed.txHash).toMatch(/^0x[0-9a-f]{64}$/);
    expect(failed.blockNumber).toBe(outcomes.find((o) => o.status === "confirmed")!.blockNumber);
    expect(await stack.chain.token(scene.program.token).balanceOf(failed.retailer)).toBe(tokens("50"));
  });
});
