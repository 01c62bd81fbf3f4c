import { ZeroAddress } from "ethers";
import { beforeEach, describe, expect, it } from "vitest";
import type { RewardToken } from "../../types/ethers-contracts/index.js";
import { eventsNamed, expectEvent, expectNoEvent, expectRevert, receiptOf } from "./assertions.js";
import { connectNetwork, tokens } from "./fixture.js";

const { networkHelpers, accounts, deployNetwork } = await connectNetwork();
const { operator, collector, collector2, retailer } = accounts;

/** `CreditSkipReason` of IRewardToken. */
const CreditSkip = { AlreadyCredited: 0n, InvalidRecipient: 1n } as const;

describe("RewardToken minting", () => {
  let token: RewardToken;
  let minter: RewardToken;

  beforeEach(async () => {
    const { createProgram } = await networkHelpers.loadFixture(deployNetwork);
    token = await createProgram();
    minter = token.connect(operator);
  });

  describe("mint", () => {
    it("credits an event once and emits Credited and Transfer", async () => {
      const receipt = await receiptOf(minter.mint(collector.address, tokens(5), 42n));

      expectEvent(receipt, token, "Credited", [42n, collector.address, tokens(5)]);
      expectEvent(receipt, token, "Transfer", [ZeroAddress, collector.address, tokens(5)]);
      expect(await token.balanceOf(collector.address)).toBe(tokens(5));
      expect(await token.totalSupply()).toBe(tokens(5));
      expect(await token.isCredited(42n)).toBe(true);
    });

    it("rejects a second mint of the same event id, even to another recipient", async () => {
      await receiptOf(minter.mint(collector.address, tokens(5), 42n));

      await expectRevert(minter.mint(collector2.address, tokens(1), 42n), token, "RewardTokenEventAlreadyCredited", [42n]);
      expect(await token.balanceOf(collector2.address)).toBe(0n);
      expect(await token.totalSupply()).toBe(tokens(5));
    });

    it("reports only credited ids as credited", async () => {
      expect(await token.isCredited(7n)).toBe(false);
      await receiptOf(minter.mint(collector.address, 1n, 7n));

      expect(await token.isCredited(7n)).toBe(true);
      expect(await token.isCredited(6n)).toBe(false);
      expect(await token.isCredited(8n)).toBe(false);
    });

    it("rejects minting to the zero address without marking the event credited", async () => {
      await expectRevert(minter.mint(ZeroAddress, 1n, 9n), token, "ERC20InvalidReceiver", [ZeroAddress]);
      expect(await token.isCredited(9n)).toBe(false);
    });

    it("keeps ids on both sides of bitmap word boundaries independent", async () => {
      const ids = [255n, 256n, 257n, 511n, 512n];
      for (const id of ids) {
        await receiptOf(minter.mint(collector.address, 1n, id));
        // Ids that share a word (or sit next to it) but were not minted stay uncredited.
        for (const other of [0n, 254n, 258n, 510n, 513n]) expect(await token.isCredited(other)).toBe(false);
      }
      for (const id of ids) expect(await token.isCredited(id)).toBe(true);
      for (const id of ids) {
        await expectRevert(minter.mint(collector.address, 1n, id), token, "RewardTokenEventAlreadyCredited", [id]);
      }
    });

    it("handles huge ids: 2^255 and 2^256-1 without clashing with small ids", async () => {
      const high = 1n << 255n;
      const max = (1n << 256n) - 1n;
      await receiptOf(minter.mint(collector.address, 1n, high));

      expect(await token.isCredited(high)).toBe(true);
      expect(await token.isCredited(0n)).toBe(false);
      expect(await token.isCredited(high + 1n)).toBe(false);
      expect(await token.isCredited(max)).toBe(false);

      await receiptOf(minter.mint(collector.address, 1n, max));
      expect(await token.isCredited(max)).toBe(true);
      await expectRevert(minter.mint(collector.address, 1n, high), token, "RewardTokenEventAlreadyCredited", [high]);
      await expectRevert(minter.mint(collector.address, 1n, max), token, "RewardTokenEventAlreadyCredited", [max]);
    });
  });

  describe("mintBatch", () => {
    const batch = () => ({
      to: [collector.address, collector2.address, retailer.address],
      amounts: [tokens(1), tokens(2), tokens(3)],
      ids: [100n, 101n, 102n],
    });

    it("credits every event of a batch and returns the credited count", async () => {
      const { to, amounts, ids } = batch();
      expect(await minter.mintBatch.staticCall(to, amounts, ids)).toBe(3n);

      const receipt = await receiptOf(minter.mintBatch(to, amounts, ids));

      const credited = eventsNamed(receipt, token, "Credited").map((e) => [e.args[0], e.args[1], e.args[2]]);
      expect(credited).toEqual(ids.map((id, i) => [id, to[i], amounts[i]]));
      expectNoEvent(receipt, token, "CreditSkipped");
      expect(await token.balanceOf(collector.address)).toBe(tokens(1));
      expect(await token.balanceOf(collector2.address)).toBe(tokens(2));
      expect(await token.balanceOf(retailer.address)).toBe(tokens(3));
      expect(await token.totalSupply()).toBe(tokens(6));
      for (const id of ids) expect(await token.isCredited(id)).toBe(true);
    });

    it("credits nothing twice when the same batch is sent again", async () => {
      const { to, amounts, ids } = batch();
      await receiptOf(minter.mintBatch(to, amounts, ids));
      expect(await minter.mintBatch.staticCall(to, amounts, ids)).toBe(0n);

      const receipt = await receiptOf(minter.mintBatch(to, amounts, ids));

      expectNoEvent(receipt, token, "Credited");
      expectNoEvent(receipt, token, "Transfer");
      const skipped = eventsNamed(receipt, token, "CreditSkipped").map((e) => [e.args[0], e.args[1], e.args[2], e.args[3]]);
      expect(skipped).toEqual(ids.map((id, i) => [id, to[i], amounts[i], CreditSkip.AlreadyCredited]));
      expect(await token.balanceOf(collector.address)).toBe(tokens(1));
      expect(await token.balanceOf(collector2.address)).toBe(tokens(2));
      expect(await token.balanceOf(retailer.address)).toBe(tokens(3));
      expect(await token.totalSupply()).toBe(tokens(6));
    });

    it("credits only the new events of a partly retried batch", async () => {
      await receiptOf(minter.mint(collector.address, tokens(1), 100n));
      const { to, amounts, ids } = batch();

      expect(await minter.mintBatch.staticCall(to, amounts, ids)).toBe(2n);
      const receipt = await receiptOf(minter.mintBatch(to, amounts, ids));

      expectEvent(receipt, token, "CreditSkipped", [100n, collector.address, tokens(1), CreditSkip.AlreadyCredited]);
      expect(eventsNamed(receipt, token, "Credited").map((e) => e.args[0])).toEqual([101n, 102n]);
      expect(await token.balanceOf(collector.address)).toBe(tokens(1));
      expect(await token.totalSupply()).toBe(tokens(6));
    });

    it("credits a duplicate id within one batch only once", async () => {
      const to = [collector.address, collector2.address];
      const amounts = [tokens(4), tokens(9)];
      const ids = [300n, 300n];
      expect(await minter.mintBatch.staticCall(to, amounts, ids)).toBe(1n);

      const receipt = await receiptOf(minter.mintBatch(to, amounts, ids));

      expectEvent(receipt, token, "Credited", [300n, collector.address, tokens(4)]);
      expectEvent(receipt, token, "CreditSkipped", [300n, collector2.address, tokens(9), CreditSkip.AlreadyCredited]);
      expect(eventsNamed(receipt, token, "Credited")).toHaveLength(1);
      expect(await token.balanceOf(collector.address)).toBe(tokens(4));
      expect(await token.balanceOf(collector2.address)).toBe(0n);
      expect(await token.totalSupply()).toBe(tokens(4));
    });

    it("skips a zero recipient with InvalidRecipient and leaves its event uncredited", async () => {
      const to = [collector.address, ZeroAddress, collector2.address];
      const amounts = [tokens(1), tokens(2), tokens(3)];
      const ids = [400n, 401n, 402n];
      expect(await minter.mintBatch.staticCall(to, amounts, ids)).toBe(2n);

      const receipt = await receiptOf(minter.mintBatch(to, amounts, ids));

      expectEvent(receipt, token, "CreditSkipped", [401n, ZeroAddress, tokens(2), CreditSkip.InvalidRecipient]);
      expect(eventsNamed(receipt, token, "CreditSkipped")).toHaveLength(1);
      expect(eventsNamed(receipt, token, "Credited").map((e) => e.args[0])).toEqual([400n, 402n]);
      expect(await token.isCredited(401n)).toBe(false);
      expect(await token.totalSupply()).toBe(tokens(4));

      // The event can still be credited later, once the recipient is known.
      await receiptOf(minter.mint(retailer.address, tokens(2), 401n));
      expect(await token.isCredited(401n)).toBe(true);
    });

    it("reports an already-credited event with a zero recipient as AlreadyCredited", async () => {
      await receiptOf(minter.mint(collector.address, 1n, 500n));
      const receipt = await receiptOf(minter.mintBatch([ZeroAddress], [1n], [500n]));

      expectEvent(receipt, token, "CreditSkipped", [500n, ZeroAddress, 1n, CreditSkip.AlreadyCredited]);
    });

    it("rejects arrays of different lengths with all three lengths", async () => {
      const to = [collector.address, collector2.address];
      await expectRevert(minter.mintBatch(to, [1n], [1n, 2n]), token, "RewardTokenBatchLengthMismatch", [2n, 1n, 2n]);
      await expectRevert(minter.mintBatch(to, [1n, 2n], [1n, 2n, 3n]), token, "RewardTokenBatchLengthMismatch", [2n, 2n, 3n]);
      await expectRevert(minter.mintBatch([], [1n], []), token, "RewardTokenBatchLengthMismatch", [0n, 1n, 0n]);
      expect(await token.totalSupply()).toBe(0n);
      expect(await token.isCredited(1n)).toBe(false);
    });

    it("accepts an empty batch and credits nothing", async () => {
      expect(await minter.mintBatch.staticCall([], [], [])).toBe(0n);
      const receipt = await receiptOf(minter.mintBatch([], [], []));
      expect(receipt.logs).toHaveLength(0);
    });

    it("keeps ids across bitmap word boundaries and huge ids independent in one batch", async () => {
      const high = 1n << 255n;
      const ids = [255n, 256n, 257n, high, high + 256n];
      const to = ids.map(() => collector.address);
      const amounts = ids.map(() => 1n);
      expect(await minter.mintBatch.staticCall(to, amounts, ids)).toBe(5n);
      await receiptOf(minter.mintBatch(to, amounts, ids));

      for (const id of ids) expect(await token.isCredited(id)).toBe(true);
      for (const id of [254n, 258n, 0n, 1n, high - 1n, high + 1n, high + 255n]) {
        expect(await token.isCredited(id)).toBe(false);
      }
      // A mixed retry: only the never-seen ids are credited.
      const retry = [...ids, 258n, high + 1n];
      expect(
        await minter.mintBatch.staticCall(retry.map(() => collector.address), retry.map(() => 1n), retry),
      ).toBe(2n);
      expect(await token.balanceOf(collector.address)).toBe(5n);
    });
  });
});
