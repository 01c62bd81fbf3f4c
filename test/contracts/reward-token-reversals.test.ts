import { ZeroAddress, ZeroHash } from "ethers";
import { beforeEach, describe, expect, it } from "vitest";
import type { RewardToken } from "../../types/ethers-contracts/index.js";
import { expectEvent, expectNoEvent, expectRevert, receiptOf } from "./assertions.js";
import { connectNetwork, tokens } from "./fixture.js";

const { ethers, networkHelpers, accounts, deployNetwork } = await connectNetwork();
const { governance, operator, retailer, collector, collector2, stranger } = accounts;

const CLAWBACK = ethers.id("CLAWBACK_ROLE");
const EVENT = 7n;

describe("RewardToken.reverseCredit", () => {
  let token: RewardToken;
  let vaultAddress: string;

  beforeEach(async () => {
    const network = await networkHelpers.loadFixture(deployNetwork);
    vaultAddress = await network.vault.getAddress();
    token = await network.createProgram();
    await receiptOf(token.connect(operator).mint(collector.address, tokens(10), EVENT));
  });

  it("gives CLAWBACK_ROLE to the network's minter, administered by the program admin", async () => {
    expect(await token.CLAWBACK_ROLE()).toBe(CLAWBACK);
    expect(await token.hasRole(CLAWBACK, operator.address)).toBe(true);
    for (const other of [governance.address, vaultAddress, stranger.address]) expect(await token.hasRole(CLAWBACK, other)).toBe(false);
    expect(await token.getRoleAdmin(CLAWBACK)).toBe(ZeroHash);
  });

  it("burns the whole credit from a holder that still has it, without an allowance", async () => {
    expect(await token.connect(operator).reverseCredit.staticCall(EVENT, collector.address, tokens(10))).toBe(tokens(10));
    const receipt = await receiptOf(token.connect(operator).reverseCredit(EVENT, collector.address, tokens(10)));

    expectEvent(receipt, token, "Transfer", [collector.address, ZeroAddress, tokens(10)]);
    expectEvent(receipt, token, "CreditReversed", [EVENT, collector.address, tokens(10), tokens(10), 0n]);
    expect(await token.balanceOf(collector.address)).toBe(0n);
    expect(await token.totalSupply()).toBe(0n);
    expect(await token.isReversed(EVENT)).toBe(true);
    expect(await token.isCredited(EVENT)).toBe(true);
  });

  it("burns what is left of a partly spent credit and records the shortfall in the event", async () => {
    await receiptOf(token.connect(collector).transfer(retailer.address, tokens(7)));
    const receipt = await receiptOf(token.connect(operator).reverseCredit(EVENT, collector.address, tokens(10)));

    expectEvent(receipt, token, "Transfer", [collector.address, ZeroAddress, tokens(3)]);
    expectEvent(receipt, token, "CreditReversed", [EVENT, collector.address, tokens(10), tokens(3), tokens(7)]);
    expect(await token.balanceOf(collector.address)).toBe(0n);
    // What was spent stays with the retailer: the correction never reaches past the holder.
    expect(await token.balanceOf(retailer.address)).toBe(tokens(7));
  });

  it("records a fully spent credit as all shortfall, with no Transfer of nothing", async () => {
    await receiptOf(token.connect(collector).transfer(retailer.address, tokens(10)));
    const receipt = await receiptOf(token.connect(operator).reverseCredit(EVENT, collector.address, tokens(10)));

    expectNoEvent(receipt, token, "Transfer");
    expectEvent(receipt, token, "CreditReversed", [EVENT, collector.address, tokens(10), 0n, tokens(10)]);
    expect(await token.isReversed(EVENT)).toBe(true);
  });

  it("leaves the holder's other credits alone", async () => {
    await receiptOf(token.connect(operator).mint(collector.address, tokens(5), EVENT + 1n));
    await receiptOf(token.connect(operator).reverseCredit(EVENT, collector.address, tokens(10)));
    expect(await token.balanceOf(collector.address)).toBe(tokens(5));
    expect(await token.isReversed(EVENT + 1n)).toBe(false);
  });

  it("refuses an event that was never credited", async () => {
    const as = token.connect(operator);
    await expectRevert(as.reverseCredit(EVENT + 1n, collector.address, 1n), token, "RewardTokenEventNotCredited", [EVENT + 1n]);
    expect(await token.isReversed(EVENT + 1n)).toBe(false);
  });

  it("refuses to reverse the same credit a second time", async () => {
    const as = token.connect(operator);
    await receiptOf(as.reverseCredit(EVENT, collector.address, tokens(4)));
    await expectRevert(as.reverseCredit(EVENT, collector.address, tokens(4)), token, "RewardTokenCreditAlreadyReversed", [EVENT]);
    expect(await token.balanceOf(collector.address)).toBe(tokens(6));
  });

  it("refuses every account without CLAWBACK_ROLE, whatever its other roles", async () => {
    for (const signer of [governance, retailer, collector, collector2, stranger]) {
      await expectRevert(token.connect(signer).reverseCredit(EVENT, collector.address, 1n), token, "AccessControlUnauthorizedAccount", [
        signer.address,
        CLAWBACK,
      ]);
    }
    expect(await token.balanceOf(collector.address)).toBe(tokens(10));
  });

  it("refuses the program's burner (the vault's role) too", async () => {
    await networkHelpers.impersonateAccount(vaultAddress);
    await networkHelpers.setBalance(vaultAddress, 10n ** 18n);
    const vault = await ethers.getSigner(vaultAddress);
    await expectRevert(token.connect(vault).reverseCredit(EVENT, collector.address, 1n), token, "AccessControlUnauthorizedAccount", [
      vaultAddress,
      CLAWBACK,
    ]);
  });

  it("is refused while the program is paused, then works once unpaused", async () => {
    await receiptOf(token.connect(governance).pause());
    await expectRevert(token.connect(operator).reverseCredit(EVENT, collector.address, tokens(10)), token, "EnforcedPause", []);
    expect(await token.isReversed(EVENT)).toBe(false);
    await receiptOf(token.connect(governance).unpause());
    await receiptOf(token.connect(operator).reverseCredit(EVENT, collector.address, tokens(10)));
    expect(await token.isReversed(EVENT)).toBe(true);
  });

  it("lets the program admin revoke the operator's clawback power", async () => {
    await receiptOf(token.connect(governance).revokeRole(CLAWBACK, operator.address));
    await expectRevert(token.connect(operator).reverseCredit(EVENT, collector.address, 1n), token, "AccessControlUnauthorizedAccount", [
      operator.address,
      CLAWBACK,
    ]);
  });
});
