import { type TransactionReceipt, toBeHex, Wallet } from "ethers";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { DEV_BLOCK_INTERVAL_MS } from "../../../scripts/local-chain.js";
import type { ChainWriteKind } from "../../../services/engines/chain-write-kind.js";
import { chainWriteLedger } from "../../../services/engines/chain-write-finality.js";
import { FinalityWatcher } from "../../../services/engines/finality-watcher.js";
import { eventually } from "../../support/earn-fixtures.js";
import { startStack, type Stack } from "../../support/stack.js";

/**
 * The watcher's walk over recorded blocks, with nothing else running (no operator): rows are written as a sender
 * would record them, so the order of what is recorded and what the watcher sees is the test's.
 */
let stack: Stack;
beforeAll(async () => {
  stack = await startStack({ runOperator: false });
});
afterAll(async () => {
  await stack?.chain.provider.send("evm_setIntervalMining", [DEV_BLOCK_INTERVAL_MS]);
  await stack?.close();
});
beforeEach(async () => {
  await stack.chain.provider.send("evm_setIntervalMining", [0]);
});

const send = (method: string, params: unknown[] = []) => stack.chain.provider.send(method, params);
/** A write whose kind has nothing of its own to follow: the ledger's rows alone are under test. */
const plain = { kind: "test.plain" } as unknown as ChainWriteKind;

async function recorded(subject: string, receipt: TransactionReceipt, status: "included" | "confirmed") {
  await stack.sql`
    insert into chain_writes (kind, subject, payload, status, tx_hash, block_number, block_hash)
    values ('test.plain', ${subject}, '{}', ${status}, ${receipt.hash}, ${receipt.blockNumber}, ${receipt.blockHash})`;
}

const statusOf = async (subject: string) =>
  (await stack.sql<{ status: string }[]>`select status from chain_writes where subject = ${subject}`)[0]!.status;

describe("the finality watcher's walk", () => {
  it("reopens a write whose block was reorganised away while no watcher ran, though a newer write was recorded on the new chain first", async () => {
    const wallet = Wallet.createRandom().connect(stack.chain.provider);
    await send("hardhat_setBalance", [wallet.address, toBeHex(10n ** 18n)]);
    const snapshot = await send("evm_snapshot");
    const lost = (await (await wallet.sendTransaction({ to: wallet.address, value: 1n })).wait())!;
    await recorded("lost", lost, "confirmed");
    await send("evm_mine");

    // The chain is reorganised (a deeper reorganisation than the confirmations): the write's block is replaced,
    // and a newer write lands on the new chain and is recorded before any watcher looks (an operator restarting).
    await send("evm_revert", [snapshot]);
    for (let i = 0; i < 3; i++) await send("evm_mine");
    const newer = (await (await wallet.sendTransaction({ to: wallet.address, value: 2n, nonce: 0 })).wait())!;
    expect(newer.blockNumber).toBeGreaterThan(lost.blockNumber);
    await recorded("newer", newer, "included");

    const reopened: string[] = [];
    const watcher = new FinalityWatcher(
      stack.chain,
      [{ ledger: chainWriteLedger(stack.sql, stack.chain, () => plain), onReopened: async (txHash) => void reopened.push(txHash) }],
      { confirmations: 1, pollMs: 50 },
    );
    watcher.start();
    try {
      await eventually(() => statusOf("lost"), (status) => status === "submitted", 10_000);
      expect(reopened).toEqual([lost.hash]);
      expect(await statusOf("newer")).toBe("included");
    } finally {
      await watcher.stop();
    }
  });
});
