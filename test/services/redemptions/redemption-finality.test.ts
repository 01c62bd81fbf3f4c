import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseUnits, toBeHex, Transaction, Wallet, zeroPadValue } from "ethers";
import { DEV_BLOCK_INTERVAL_MS } from "../../../scripts/local-chain.js";
import { eventually } from "../../support/earn-fixtures.js";
import { startTestPaymentWorker } from "../../support/payment-fixtures.js";
import { fundProgram, redemptionScene, signRedemption, stablecoin, startTestRedemptionWorker, tokens, tusd } from "../../support/redemption-fixtures.js";
import { startStack, type Stack } from "../../support/stack.js";

let stack: Stack;
let workers: { close(): Promise<void> }[] = [];
beforeAll(async () => {
  // The defaults a user gets: CHAIN_CONFIRMATIONS=1.
  stack = await startStack();
  expect(stack.config.chainConfirmations).toBe(1);
  workers = [await startTestPaymentWorker(stack), await startTestRedemptionWorker(stack)];
});
afterAll(async () => {
  await stack?.chain.provider.send("evm_setIntervalMining", [DEV_BLOCK_INTERVAL_MS]);
  for (const worker of workers) await worker.close();
  await stack?.close();
});

const send = (method: string, params: unknown[] = []) => stack.chain.provider.send(method, params);

/** A shop holding 50 tokens of a funded program; from then on blocks come only when the test makes them. */
async function sceneThenManualBlocks() {
  await send("evm_setIntervalMining", [DEV_BLOCK_INTERVAL_MS]);
  const scene = await redemptionScene(stack, { kg: 20, amount: "50" });
  await fundProgram(stack, scene.program.token, ["1"]);
  await send("evm_setIntervalMining", [0]);
  return scene;
}

/** The vault's Redeemed logs for a retailer now on chain: one for a redemption paid once. */
async function redeemedLogs(retailer: string) {
  const vault = stack.chain.vault;
  return stack.chain.provider.getLogs({
    address: stack.deployment.contracts.vault,
    fromBlock: 0,
    topics: [vault.interface.getEvent("Redeemed").topicHash, null, null, zeroPadValue(retailer, 32)],
  });
}

describe("a redemption's finality", () => {
  it("is relayed again, once, when a reorganisation takes its block away, and confirmed a block after", async () => {
    const scene = await sceneThenManualBlocks();
    const snapshot = await send("evm_snapshot");
    const accepted = await scene.retailer.api.post("/v1/redemptions", await signRedemption(stack, scene.retailerWallet, scene.program, "50"));
    expect(accepted.status, JSON.stringify(accepted.body)).toBe(202);
    const read = () => scene.retailer.api.get(`/v1/redemptions/${accepted.body.id}`).then((reply) => reply.body);
    const first = await eventually(read, (body) => body.status === "included");
    await send("evm_revert", [snapshot]);
    await send("evm_mine");
    expect(await redeemedLogs(scene.retailerWallet.address)).toHaveLength(0);

    // Included again in a later block (possibly as the very same transaction: same nonce, fees and calldata).
    const again = await eventually(read, (body) => body.status === "included" && body.blockNumber !== first.blockNumber, 30_000);
    expect((await read()).status).toBe("included");
    await send("evm_mine");
    await eventually(read, (body) => body.status === "confirmed", 10_000);
    const logs = await redeemedLogs(scene.retailerWallet.address);
    expect(logs).toHaveLength(1);
    expect(logs[0]!.transactionHash).toBe(again.txHash);
    // 50 tokens at 0.01 tUSD, less the vault's 0.5 % fee, paid once.
    expect(await stablecoin(stack).balanceOf(scene.retailerWallet.address)).toBe(tusd("0.4975"));
  });

  it("takes what the new block says of a relay a reorganisation moved behind the shop's own transfer", async () => {
    // The shop redeems its 50 tokens: included. A reorganisation replaces that block; on the new chain the shop's
    // own transfer of its tokens comes first, and the very same relay lands in the next block, where the vault
    // skips the redemption for the balance.
    const scene = await sceneThenManualBlocks();
    const snapshot = await send("evm_snapshot");
    const accepted = await scene.retailer.api.post("/v1/redemptions", await signRedemption(stack, scene.retailerWallet, scene.program, "50"));
    expect(accepted.status, JSON.stringify(accepted.body)).toBe(202);
    const read = () => scene.retailer.api.get(`/v1/redemptions/${accepted.body.id}`).then((reply) => reply.body);
    const included = await eventually(read, (body) => body.status === "included");
    const relayBytes = Transaction.from((await stack.chain.provider.getTransaction(included.txHash))!).serialized;
    const redemptionWorker = workers.pop()!;
    await redemptionWorker.close();
    await send("evm_revert", [snapshot]);
    await send("hardhat_setBalance", [scene.retailerWallet.address, toBeHex(parseUnits("1", 18))]);
    const ownToken = stack.chain.token(scene.program.token).connect(scene.retailerWallet.connect(stack.chain.provider));
    await (await ownToken.transfer(Wallet.createRandom().address, tokens("50"))).wait();
    await send("eth_sendRawTransaction", [relayBytes]);
    const moved = await stack.chain.provider.getTransactionReceipt(included.txHash);
    expect(moved!.blockNumber).toBeGreaterThan(included.blockNumber);
    expect(await redeemedLogs(scene.retailerWallet.address)).toHaveLength(0);
    workers.push(await startTestRedemptionWorker(stack));

    const refused = await eventually(read, (body) => body.status === "failed", 20_000);
    expect(refused.failureReason).toBe("RC_ERC20_INSUFFICIENT_BALANCE");
    expect(refused.txHash).toBe(included.txHash);
    expect(await stablecoin(stack).balanceOf(scene.retailerWallet.address)).toBe(0n);
  });
});
