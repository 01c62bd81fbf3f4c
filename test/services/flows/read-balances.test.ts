/**
 * A holder's balances while one of its movements is in a block the index has not reached: read at the head
 * from the node, or, when no node answers, the index's figures said to be `updating`, never passed off as
 * current.
 */
import { JsonRpcProvider, Network, Wallet } from "ethers";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { balancesNow } from "../../../services/flows/read-balances.js";
import { RewardToken__factory } from "../../../types/ethers-contracts/index.js";
import { recyclingScene } from "../../support/earn-fixtures.js";
import { startStack, type Stack } from "../../support/stack.js";

let stack: Stack;
let scene: Awaited<ReturnType<typeof recyclingScene>>;
beforeAll(async () => {
  stack = await startStack({ runBatcher: false });
  scene = await recyclingScene(stack);
});
afterAll(() => stack?.close());

/** Nothing listens on the discard port: every call fails as an unreachable node's would. */
function unreachableChain() {
  const provider = new JsonRpcProvider("http://127.0.0.1:9", undefined, { staticNetwork: Network.from(stack.chain.chainId) });
  return { provider, token: (address: string) => RewardToken__factory.connect(address, provider) };
}

describe("balances with a movement the index has not reached", () => {
  const holder = Wallet.createRandom().address;
  const indexed = () => [{ programId: BigInt(scene.program.id), name: "Indexed", symbol: "IDX", token: scene.program.token, balance: 7n }];

  it("reads the movement's programs at the head when the node answers", async () => {
    const head = await stack.chain.provider.getBlockNumber();
    const read = await balancesNow({ sql: stack.sql, chain: stack.chain }, holder, indexed(), head - 1, [
      { programId: BigInt(scene.program.id), blockNumber: BigInt(head) },
    ]);
    expect(read.updating).toBe(false);
    expect(read.block).toBeGreaterThanOrEqual(head);
    // The head's balance (none: the random holder has nothing), not the index's 7.
    expect(read.balances.map((b) => b.balance)).toEqual([0n]);
  });

  it("answers the index's balances as updating when no node answers", async () => {
    const chain = unreachableChain();
    try {
      const read = await balancesNow({ sql: stack.sql, chain }, holder, indexed(), 41, [{ programId: BigInt(scene.program.id), blockNumber: 42n }]);
      expect(read).toEqual({ balances: indexed(), block: 41, updating: true });
    } finally {
      chain.provider.destroy();
    }
  });

  it("needs no node when every movement is indexed", async () => {
    const chain = unreachableChain();
    try {
      const read = await balancesNow({ sql: stack.sql, chain }, holder, indexed(), 42, [{ programId: BigInt(scene.program.id), blockNumber: 42n }]);
      expect(read).toEqual({ balances: indexed(), block: 42, updating: false });
    } finally {
      chain.provider.destroy();
    }
  });
});
