import { describe, expect, it } from "vitest";
import { quoteRedemption } from "../../services/core/redemption.js";
import { eventsNamed, expectEvent, expectNoEvent, expectRevert, receiptOf } from "./assertions.js";
import { connectNetwork, FEE_BPS, RATE, usd } from "./fixture.js";
import { balancesOf, vaultActions } from "./vault-helpers.js";

const network = await connectNetwork();
const { networkHelpers, accounts, deployNetwork } = network;
const { governance, sponsorA, sponsorB, retailer, stranger } = accounts;
const { time } = networkHelpers;

const WEEK = 7n * 24n * 3_600n;
const DAY = 24n * 3_600n;

/** Tokens worth exactly `units` stablecoin units at RATE. */
const worth = (units: bigint) => (units * 10n ** 18n) / RATE;

/** One program, retailer admitted, deposits 1 (A, 10 USD) and 2 (B, 20 USD). */
async function deployWithDeposits() {
  const deployed = await deployNetwork();
  const program = await deployed.createProgram();
  const actions = vaultActions(network, deployed, program);
  await actions.admit(retailer);
  await actions.deposit(sponsorA, usd(10));
  await actions.deposit(sponsorB, usd(20));
  return { ...deployed, program, actions };
}

describe("SponsorVault notice periods", () => {
  it("gives a new program the vault's default notice period, 7 days until governance changes it", async () => {
    const { vault, program, factory, createProgram } = await networkHelpers.loadFixture(deployWithDeposits);
    expect(await vault.defaultNoticePeriod()).toBe(WEEK);
    expect(await vault.noticePeriod(program.target)).toBe(WEEK);

    expectEvent(await receiptOf(vault.connect(governance).setDefaultNoticePeriod(DAY)), vault, "DefaultNoticePeriodChanged", [WEEK, DAY]);
    const second = await createProgram({ name: "Second", symbol: "SEC" });
    expect(await vault.noticePeriod(second.target)).toBe(DAY);
    expect(await vault.noticePeriod(program.target)).toBe(WEEK);
    expect(factory.target).toBeDefined();
  });

  it("emits NoticePeriodChanged at registration and when governance changes a program's", async () => {
    const { vault, program, createProgram } = await networkHelpers.loadFixture(deployWithDeposits);
    const receipt = await receiptOf(vault.connect(governance).setNoticePeriod(program.target, 3n * DAY));
    expectEvent(receipt, vault, "NoticePeriodChanged", [program.target, WEEK, 3n * DAY]);
    expect(await vault.noticePeriod(program.target)).toBe(3n * DAY);
    const created = await createProgram({ name: "Third", symbol: "THR" });
    const [event] = (await vault.queryFilter(vault.filters.NoticePeriodChanged(created.target))).map((e) => [...e.args]);
    expect(event).toEqual([created.target, 0n, WEEK]);
  });

  it("refuses notice periods over a year, from governance only, and for known programs only", async () => {
    const { vault, program } = await networkHelpers.loadFixture(deployWithDeposits);
    const max = await vault.MAX_NOTICE_PERIOD();
    expect(max).toBe(365n * DAY);
    await expectRevert(vault.connect(governance).setNoticePeriod(program.target, max + 1n), vault, "VaultNoticePeriodTooLong", [max + 1n, max]);
    await expectRevert(vault.connect(governance).setDefaultNoticePeriod(max + 1n), vault, "VaultNoticePeriodTooLong", [max + 1n, max]);
    await expectRevert(vault.connect(governance).setNoticePeriod(stranger.address, DAY), vault, "VaultUnknownProgram", [stranger.address]);
    const admin = await vault.DEFAULT_ADMIN_ROLE();
    await expectRevert(vault.connect(sponsorA).setNoticePeriod(program.target, 0n), vault, "AccessControlUnauthorizedAccount", [sponsorA.address, admin]);
    await expectRevert(vault.connect(sponsorA).setDefaultNoticePeriod(0n), vault, "AccessControlUnauthorizedAccount", [sponsorA.address, admin]);
    await receiptOf(vault.connect(governance).setNoticePeriod(program.target, max));
  });
});

describe("SponsorVault withdrawal with notice", () => {
  it("announces a withdrawal: WithdrawalAnnounced with the time it becomes withdrawable, counted as announced", async () => {
    const { vault, program } = await networkHelpers.loadFixture(deployWithDeposits);
    const receipt = await receiptOf(vault.connect(sponsorA).announceWithdrawal(1n));
    const at = BigInt(await time.latest()) + WEEK;
    expectEvent(receipt, vault, "WithdrawalAnnounced", [1n, program.target, sponsorA.address, at]);
    expect(await vault.getWithdrawal(1n)).toEqual([at, false]);
    expect(await vault.announcedWithdrawals(program.target)).toBe(usd(10));
    // Solvency still counts the announced deposit: it pays redemptions until withdrawn.
    expect([...(await vault.solvency(program.target))]).toEqual([0n, usd(30), true]);
  });

  it("lets redemptions draw from an announced deposit during the notice, then withdraws exactly what is left to the sponsor", async () => {
    const { vault, stablecoin, program, actions } = await networkHelpers.loadFixture(deployWithDeposits);
    await receiptOf(vault.connect(sponsorA).announceWithdrawal(1n));
    await actions.creditForRedemption(retailer, worth(usd(4)));
    const redeemed = await receiptOf(vault.connect(retailer).redeem(program.target, worth(usd(4))));
    expectEvent(redeemed, vault, "DepositDrawn", [1n, 1n, sponsorA.address, usd(4)]);
    expect(await vault.announcedWithdrawals(program.target)).toBe(usd(6));

    await expectRevert(vault.connect(stranger).withdraw(1n), vault, "VaultWithdrawalNotDue");
    const at = (await vault.getWithdrawal(1n)).withdrawableAt;
    await time.increaseTo(at);
    const [before] = await balancesOf(stablecoin, sponsorA);
    // Anyone may finish it: the money only goes to the sponsor.
    const receipt = await receiptOf(vault.connect(stranger).withdraw(1n));
    expectEvent(receipt, vault, "Withdrawn", [1n, program.target, sponsorA.address, usd(6)]);
    const [after] = await balancesOf(stablecoin, sponsorA);
    expect(after! - before!).toBe(usd(6));
    expect(await vault.getDeposit(1n)).toEqual([sponsorA.address, program.target, usd(10), 0n]);
    expect(await vault.getWithdrawal(1n)).toEqual([at, true]);
    expect(await vault.announcedWithdrawals(program.target)).toBe(0n);
    expect([...(await vault.solvency(program.target))]).toEqual([0n, usd(20), true]);
    expect(await stablecoin.balanceOf(vault.target)).toBe(usd(20));
  });

  it("refuses to withdraw before the notice has passed, naming the deposit, the time it may and now", async () => {
    const { vault } = await networkHelpers.loadFixture(deployWithDeposits);
    await receiptOf(vault.connect(sponsorA).announceWithdrawal(1n));
    const at = (await vault.getWithdrawal(1n)).withdrawableAt;
    await time.setNextBlockTimestamp(at - 1n);
    await expectRevert(vault.withdraw(1n), vault, "VaultWithdrawalNotDue", [1n, at, at - 1n]);
  });

  it("skips a withdrawn deposit in the FIFO draw without a zero DepositDrawn", async () => {
    const { vault, program, actions } = await networkHelpers.loadFixture(deployWithDeposits);
    await actions.deposit(sponsorA, usd(5)); // deposit 3
    await receiptOf(vault.connect(sponsorB).announceWithdrawal(2n));
    await time.increase(WEEK);
    await receiptOf(vault.withdraw(2n));
    await actions.creditForRedemption(retailer, worth(usd(12)));
    const receipt = await receiptOf(vault.connect(retailer).redeem(program.target, worth(usd(12))));
    const draws = eventsNamed(receipt, vault, "DepositDrawn").map((e) => [e.args[1], e.args[3]]);
    expect(draws).toEqual([[1n, usd(10)], [3n, usd(2)]]);
    const { gross } = quoteRedemption(worth(usd(12)), RATE, FEE_BPS);
    expect(gross).toBe(usd(12));
    expect(await vault.depositRemaining(2n)).toBe(0n);
  });

  it("closes a deposit redemptions drew to nothing during the notice with a zero Withdrawn and no transfer", async () => {
    const { vault, stablecoin, program, actions } = await networkHelpers.loadFixture(deployWithDeposits);
    await receiptOf(vault.connect(sponsorA).announceWithdrawal(1n));
    await actions.creditForRedemption(retailer, worth(usd(10)));
    await receiptOf(vault.connect(retailer).redeem(program.target, worth(usd(10))));
    await time.increase(WEEK);
    const receipt = await receiptOf(vault.withdraw(1n));
    expectEvent(receipt, vault, "Withdrawn", [1n, program.target, sponsorA.address, 0n]);
    expectNoEvent(receipt, stablecoin, "Transfer");
    expect(await vault.announcedWithdrawals(program.target)).toBe(0n);
  });

  it("cancels an announcement: WithdrawalCancelled, nothing announced, and withdraw refused", async () => {
    const { vault, program } = await networkHelpers.loadFixture(deployWithDeposits);
    await receiptOf(vault.connect(sponsorA).announceWithdrawal(1n));
    const receipt = await receiptOf(vault.connect(sponsorA).cancelWithdrawal(1n));
    expectEvent(receipt, vault, "WithdrawalCancelled", [1n, program.target, sponsorA.address]);
    expect(await vault.getWithdrawal(1n)).toEqual([0n, false]);
    expect(await vault.announcedWithdrawals(program.target)).toBe(0n);
    await time.increase(WEEK);
    await expectRevert(vault.withdraw(1n), vault, "VaultWithdrawalNotAnnounced", [1n]);
    // It can be announced again, with a fresh notice.
    await receiptOf(vault.connect(sponsorA).announceWithdrawal(1n));
    expect((await vault.getWithdrawal(1n)).withdrawableAt).toBe(BigInt(await time.latest()) + WEEK);
  });

  it("keeps the announced time when governance changes the program's notice period afterwards", async () => {
    const { vault, program } = await networkHelpers.loadFixture(deployWithDeposits);
    await receiptOf(vault.connect(sponsorA).announceWithdrawal(1n));
    const at = (await vault.getWithdrawal(1n)).withdrawableAt;
    await receiptOf(vault.connect(governance).setNoticePeriod(program.target, 30n * DAY));
    expect((await vault.getWithdrawal(1n)).withdrawableAt).toBe(at);
    await receiptOf(vault.connect(sponsorB).announceWithdrawal(2n));
    expect((await vault.getWithdrawal(2n)).withdrawableAt).toBe(BigInt(await time.latest()) + 30n * DAY);
  });

  it("refuses announcing and cancelling with each error and its arguments", async () => {
    const { vault, actions, program } = await networkHelpers.loadFixture(deployWithDeposits);
    await expectRevert(vault.connect(sponsorA).announceWithdrawal(99n), vault, "VaultUnknownDeposit", [99n]);
    await expectRevert(vault.connect(sponsorA).cancelWithdrawal(99n), vault, "VaultUnknownDeposit", [99n]);
    await expectRevert(vault.withdraw(99n), vault, "VaultUnknownDeposit", [99n]);
    await expectRevert(vault.connect(sponsorB).announceWithdrawal(1n), vault, "VaultNotDepositSponsor", [1n, sponsorB.address]);
    await expectRevert(vault.connect(sponsorA).cancelWithdrawal(1n), vault, "VaultWithdrawalNotAnnounced", [1n]);
    await expectRevert(vault.withdraw(1n), vault, "VaultWithdrawalNotAnnounced", [1n]);
    await receiptOf(vault.connect(sponsorA).announceWithdrawal(1n));
    const at = (await vault.getWithdrawal(1n)).withdrawableAt;
    await expectRevert(vault.connect(sponsorA).announceWithdrawal(1n), vault, "VaultWithdrawalAlreadyAnnounced", [1n, at]);
    await expectRevert(vault.connect(stranger).cancelWithdrawal(1n), vault, "VaultNotDepositSponsor", [1n, stranger.address]);
    await time.increaseTo(at);
    await receiptOf(vault.withdraw(1n));
    await expectRevert(vault.withdraw(1n), vault, "VaultDepositWithdrawn", [1n]);
    await expectRevert(vault.connect(sponsorA).announceWithdrawal(1n), vault, "VaultDepositWithdrawn", [1n]);
    await expectRevert(vault.connect(sponsorA).cancelWithdrawal(1n), vault, "VaultDepositWithdrawn", [1n]);
    // A deposit redeemed to nothing has nothing to announce.
    await actions.creditForRedemption(retailer, worth(usd(20)));
    await receiptOf(vault.connect(retailer).redeem(program.target, worth(usd(20))));
    await expectRevert(vault.connect(sponsorB).announceWithdrawal(2n), vault, "VaultNothingToWithdraw", [2n]);
  });

  it("refuses withdrawals while paused, and pays after unpausing", async () => {
    const { vault } = await networkHelpers.loadFixture(deployWithDeposits);
    await receiptOf(vault.connect(sponsorA).announceWithdrawal(1n));
    await time.increase(WEEK);
    await receiptOf(vault.connect(governance).pause());
    await expectRevert(vault.withdraw(1n), vault, "EnforcedPause", []);
    await receiptOf(vault.connect(governance).unpause());
    expectEvent(await receiptOf(vault.withdraw(1n)), vault, "Withdrawn");
  });

  it("counts what the announced deposits hold as redemptions draw across them", async () => {
    const { vault, program, actions } = await networkHelpers.loadFixture(deployWithDeposits);
    await receiptOf(vault.connect(sponsorB).announceWithdrawal(2n));
    expect(await vault.announcedWithdrawals(program.target)).toBe(usd(20));
    await actions.creditForRedemption(retailer, worth(usd(15)));
    // 10 from deposit 1 (not announced), 5 from deposit 2 (announced).
    await receiptOf(vault.connect(retailer).redeem(program.target, worth(usd(15))));
    expect(await vault.announcedWithdrawals(program.target)).toBe(usd(15));
    await receiptOf(vault.connect(sponsorB).cancelWithdrawal(2n));
    expect(await vault.announcedWithdrawals(program.target)).toBe(0n);
  });
});
