import { getAddress, hexlify, randomBytes } from "ethers";
import { describe, expect, it } from "vitest";
import { balancesOf } from "../../services/chain/balances.js";
import { connectNetwork, tokens } from "./fixture.js";

const { ethers, networkHelpers, accounts, deployNetwork } = await connectNetwork();
const { operator, collector, collector2 } = accounts;

describe("BalanceReader, read through one eth_call and never deployed", () => {
  it("answers each holder's balance in order, zero for an address that holds nothing", async () => {
    const { createProgram } = await networkHelpers.loadFixture(deployNetwork);
    const token = await createProgram();
    await (await token.connect(operator).mintBatch([collector.address, collector2.address], [tokens(3), tokens(7)], [1n, 2n])).wait();
    const stranger = getAddress(hexlify(randomBytes(20)));
    const holders = [collector2.address, stranger, collector.address, collector2.address];

    const before = await ethers.provider.getTransactionCount(operator.address);
    expect(await balancesOf(ethers.provider, await token.getAddress(), holders)).toEqual([tokens(7), 0n, tokens(3), tokens(7)]);
    expect(await ethers.provider.getTransactionCount(operator.address)).toBe(before);
  });

  it("reads a few hundred holders at once, and answers an empty list without asking the node", async () => {
    const { createProgram } = await networkHelpers.loadFixture(deployNetwork);
    const token = await createProgram();
    const holders = Array.from({ length: 600 }, () => getAddress(hexlify(randomBytes(20))));
    await (await token.connect(operator).mintBatch(holders.slice(0, 300), holders.slice(0, 300).map(() => 1n), holders.slice(0, 300).map((_, i) => BigInt(i)))).wait();

    const balances = await balancesOf(ethers.provider, await token.getAddress(), holders);
    expect(balances.slice(0, 300).every((b) => b === 1n)).toBe(true);
    expect(balances.slice(300).every((b) => b === 0n)).toBe(true);
    expect(await balancesOf(ethers.provider, await token.getAddress(), [])).toEqual([]);
  });
});
