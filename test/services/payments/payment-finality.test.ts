import { parseUnits, toBeHex, Transaction, Wallet, zeroPadValue } from "ethers";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEV_BLOCK_INTERVAL_MS } from "../../../scripts/local-chain.js";
import { eventually } from "../../support/earn-fixtures.js";
import { anonymous, asAdmin, paymentScene, signPayment, startTestPaymentWorker } from "../../support/payment-fixtures.js";
import { startStack, type Stack } from "../../support/stack.js";

let stack: Stack;
let worker: Awaited<ReturnType<typeof startTestPaymentWorker>>;
beforeAll(async () => {
  // The defaults a user gets (CHAIN_CONFIRMATIONS=1); a short reconcile so a reopened payment's new job is not the wait.
  stack = await startStack({ env: { PAYMENT_BATCH_MS: "50" } });
  expect(stack.config.chainConfirmations).toBe(1);
  worker = await startTestPaymentWorker(stack);
});
afterAll(async () => {
  await stack?.chain.provider.send("evm_setIntervalMining", [DEV_BLOCK_INTERVAL_MS]);
  await worker?.close();
  await stack?.close();
});
/** A collector with 10 confirmed tokens; from then on blocks come only when the test makes them (each transaction mines its own). */
async function sceneThenManualBlocks() {
  await stack.chain.provider.send("evm_setIntervalMining", [DEV_BLOCK_INTERVAL_MS]);
  const scene = await paymentScene(stack);
  await stack.chain.provider.send("evm_setIntervalMining", [0]);
  return scene;
}

const send = (method: string, params: unknown[] = []) => stack.chain.provider.send(method, params);
const read = (id: number) => asAdmin(stack).get(`/v1/payments/${id}`).then((reply) => reply.body);

async function pay(scene: Awaited<ReturnType<typeof paymentScene>>, amount: string) {
  const { body, authorization } = await signPayment(stack, scene.collector, scene.program, scene.retailerWallet.address, amount, { nonces: scene.nonces });
  const accepted = await anonymous(stack).post("/v1/payments", body);
  expect(accepted.status, JSON.stringify(accepted.body)).toBe(202);
  return { id: accepted.body.id as number, nonce: authorization.nonce as string };
}

/** The AuthorizationUsed logs the chain holds now for a payer's nonce: exactly one for a payment made once. */
async function usedLogs(token: string, payer: string, nonce: string) {
  const contract = stack.chain.token(token);
  return stack.chain.provider.getLogs({
    address: token,
    fromBlock: 0,
    topics: [contract.interface.getEvent("AuthorizationUsed").topicHash, zeroPadValue(payer, 32), nonce],
  });
}

describe("a payment's finality", () => {
  it("is included in its block first, and confirmed only once a block stands on it", async () => {
    const scene = await sceneThenManualBlocks();
    const { id } = await pay(scene, "2");
    const included = await eventually(() => read(id), (body) => body.status === "included");
    const receipt = await stack.chain.provider.getTransactionReceipt(included.txHash);
    expect(included.blockNumber).toBe(receipt!.blockNumber);
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    expect((await read(id)).status).toBe("included");

    await send("evm_mine");
    await eventually(() => read(id), (body) => body.status === "confirmed", 10_000);
  });

  it("is relayed again, once, when a reorganisation takes its block away", async () => {
    const scene = await sceneThenManualBlocks();
    const snapshot = await send("evm_snapshot");
    const { id, nonce } = await pay(scene, "3");
    const first = await eventually(() => read(id), (body) => body.status === "included");
    // The block with the relay is replaced by another at the same height.
    await send("evm_revert", [snapshot]);
    await send("evm_mine");
    expect(await usedLogs(scene.program.token, scene.collector.address, nonce)).toHaveLength(0);

    // Relayed again into a block of the new chain (the empty block above sits at the old one's height). At the
    // same nonce and fees the relay may be the very same transaction, same hash: the sender prices from the fee
    // history, which the reorganisation restored.
    const again = await eventually(() => read(id), (body) => body.status === "included" && body.blockNumber !== first.blockNumber, 20_000);
    await send("evm_mine");
    await eventually(() => read(id), (body) => body.status === "confirmed", 10_000);
    const logs = await usedLogs(scene.program.token, scene.collector.address, nonce);
    expect(logs).toHaveLength(1);
    expect(logs[0]!.transactionHash).toBe(again.txHash);
    expect(await stack.chain.token(scene.program.token).balanceOf(scene.retailerWallet.address)).toBe(parseUnits("3", 18));
  });

  it("takes what the new block says of a relay a reorganisation moved behind the collector's own transfer", async () => {
    // The collector has 10 tokens and pays the shop 6: included. A reorganisation replaces that block; on the new
    // chain the collector's own transfer of 6 comes first, and the very same relay (same bytes, same hash) lands
    // in the next block, where the token skips the payment for the balance.
    const scene = await sceneThenManualBlocks();
    const snapshot = await send("evm_snapshot");
    const payment = await pay(scene, "6");
    const included = await eventually(() => read(payment.id), (body) => body.status === "included");
    const relay = await stack.chain.provider.getTransaction(included.txHash);
    const relayBytes = Transaction.from(relay!).serialized;
    await worker.close();
    await send("evm_revert", [snapshot]);
    await send("hardhat_setBalance", [scene.collector.address, toBeHex(parseUnits("1", 18))]);
    const ownToken = stack.chain.token(scene.program.token).connect(scene.collector.connect(stack.chain.provider));
    await (await ownToken.transfer(Wallet.createRandom().address, parseUnits("6", 18))).wait();
    await send("eth_sendRawTransaction", [relayBytes]);
    const moved = await stack.chain.provider.getTransactionReceipt(included.txHash);
    expect(moved!.blockNumber).toBeGreaterThan(included.blockNumber);
    expect(await usedLogs(scene.program.token, scene.collector.address, payment.nonce)).toHaveLength(0);
    worker = await startTestPaymentWorker(stack);

    const refused = await eventually(() => read(payment.id), (body) => body.status === "failed", 20_000);
    expect(refused.failureReason).toBe("RC_INSUFFICIENT_BALANCE");
    expect(refused.txHash).toBe(included.txHash);
    expect(refused.blockNumber).toBe(moved!.blockNumber);
    expect(await stack.chain.token(scene.program.token).balanceOf(scene.retailerWallet.address)).toBe(0n);
  });

  it("settles anew, from the chain, a payment refused in a block that a reorganisation took away", async () => {
    // The collector has 10 tokens. While no worker runs, it pays the shop 6 through recircle and moves 6 away
    // itself, on chain: the relay that follows is refused for the balance.
    const scene = await sceneThenManualBlocks();
    const snapshot = await send("evm_snapshot");
    await worker.close();
    const payment = await pay(scene, "6");
    await send("hardhat_setBalance", [scene.collector.address, toBeHex(parseUnits("1", 18))]);
    const ownToken = stack.chain.token(scene.program.token).connect(scene.collector.connect(stack.chain.provider));
    await (await ownToken.transfer(Wallet.createRandom().address, parseUnits("6", 18))).wait();
    worker = await startTestPaymentWorker(stack);
    const refused = await eventually(() => read(payment.id), (body) => body.status === "failed");
    expect(refused.failureReason).toBe("RC_INSUFFICIENT_BALANCE");

    // A reorganisation takes away the collector's own transfer and the refusal. On the chain that replaces them
    // the payment goes through, once: a refusal holds only as long as the block that refused.
    await send("evm_revert", [snapshot]);
    await send("evm_mine");
    await send("evm_mine");
    const paid = await eventually(() => read(payment.id), (body) => body.status === "included" || body.status === "confirmed", 20_000);
    const receipt = await stack.chain.provider.getTransactionReceipt(paid.txHash);
    expect(receipt?.blockNumber).toBe(paid.blockNumber);
    const logs = await usedLogs(scene.program.token, scene.collector.address, payment.nonce);
    expect(logs.map((log) => log.transactionHash)).toEqual([paid.txHash]);
    expect(await stack.chain.token(scene.program.token).balanceOf(scene.retailerWallet.address)).toBe(parseUnits("6", 18));
  });
});
