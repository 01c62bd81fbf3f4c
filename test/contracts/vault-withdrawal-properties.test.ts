import { MaxUint256 } from "ethers";
import { describe, expect, it } from "vitest";
import { prng, type Random } from "../../harness/lib/random.js";
import { quoteRedemption } from "../../services/core/redemption.js";
import { eventsNamed, receiptOf } from "./assertions.js";
import { connectNetwork, FEE_BPS, MIN_DEPOSIT, RATE, usd } from "./fixture.js";
import { balancesOf, vaultActions } from "./vault-helpers.js";

const network = await connectNetwork();
const { networkHelpers, accounts, deployNetwork } = network;
const { governance, sponsorA, sponsorB, collector: sponsorC, retailer, stranger } = accounts;
const sponsors = [sponsorA, sponsorB, sponsorC] as const;
const NOTICE = 24n * 3_600n;
const SEEDS = Array.from({ length: 20 }, (_, i) => 0x5eed + i);
const STEPS = 40;

/** One program with a one-day notice, the retailer admitted with unlimited allowance, three sponsors funded. */
async function deployForProperties() {
  const deployed = await deployNetwork();
  const program = await deployed.createProgram();
  const actions = vaultActions(network, deployed, program);
  await actions.admit(retailer);
  await (await program.connect(retailer).approve(deployed.vault.target, MaxUint256)).wait();
  await (await deployed.vault.connect(governance).setNoticePeriod(program.target, NOTICE)).wait();
  for (const sponsor of sponsors) await actions.fund(sponsor, usd(1_000));
  return { ...deployed, program, actions };
}

interface ModelDeposit {
  sponsor: number;
  remaining: bigint;
  /** Zero when no withdrawal is announced. */
  withdrawableAt: bigint;
  withdrawn: boolean;
}

/** Tokens worth `units` stablecoin units at RATE. */
const worth = (units: bigint) => (units * 10n ** 18n) / RATE;
const amount = (random: Random, max: bigint) => (BigInt(Math.floor(random.next() * 1e9)) * max) / 1_000_000_000n;

/** Does `promise` revert? Any revert counts; the model says whether one is due. */
async function reverts(promise: Promise<unknown>) {
  try {
    await receiptOf(promise as never);
    return false;
  } catch {
    return true;
  }
}

describe("SponsorVault withdrawals against a model, seeded random sequences", () => {
  it("keeps remaining == available == the vault's balance, never draws a withdrawn deposit and returns each sponsor exactly what was left", async () => {
    const seen = { announced: 0, cancelled: 0, withdrawn: 0, drawnDuringNotice: 0, refused: 0 };
    for (const seed of SEEDS) {
      const random = prng(seed);
      const { vault, stablecoin, program, actions } = await networkHelpers.loadFixture(deployForProperties);
      const deposits: ModelDeposit[] = [];
      const where = (step: number) => `seed ${seed}, step ${step}`;
      const now = async () => BigInt(await networkHelpers.time.latest());
      // Ids drawn from 1..count+1, so an unknown one comes up too.
      const pickId = () => BigInt(random.int(deposits.length + 1) + 1);
      // Mostly an announced deposit, for cancels and withdrawals to mean something.
      const pickAnnounced = () => {
        const announced = deposits.flatMap((d, i) => (d.withdrawableAt !== 0n && !d.withdrawn ? [BigInt(i + 1)] : []));
        return announced.length > 0 && random.next() < 0.75 ? random.pick(announced) : pickId();
      };

      for (let step = 0; step < STEPS; step++) {
        const roll = random.next();
        if (roll < 0.22) {
          const sponsor = random.int(3);
          const value = MIN_DEPOSIT + amount(random, usd(20));
          await receiptOf(vault.connect(sponsors[sponsor]!).deposit(program.target, value));
          deposits.push({ sponsor, remaining: value, withdrawableAt: 0n, withdrawn: false });
        } else if (roll < 0.45) {
          const tokens = worth(amount(random, usd(25)));
          const { gross, net } = quoteRedemption(tokens, RATE, FEE_BPS);
          const available = deposits.reduce((sum, d) => sum + d.remaining, 0n);
          await actions.credit(retailer, tokens);
          const call = vault.connect(retailer).redeem(program.target, tokens);
          if (net === 0n || gross > available) {
            expect(await reverts(call), `${where(step)}: redemption of ${gross} over ${available}`).toBe(true);
            seen.refused++;
            await (await program.connect(retailer).transfer(stranger.address, tokens)).wait();
            continue;
          }
          const receipt = await receiptOf(call);
          let left = gross;
          const expected: [bigint, bigint][] = [];
          deposits.forEach((d, i) => {
            const drawn = d.remaining < left ? d.remaining : left;
            if (drawn === 0n) return;
            d.remaining -= drawn;
            left -= drawn;
            if (d.withdrawableAt !== 0n) seen.drawnDuringNotice++;
            expected.push([BigInt(i + 1), drawn]);
          });
          const draws = eventsNamed(receipt, vault, "DepositDrawn").map((e) => [e.args[1] as bigint, e.args[3] as bigint]);
          expect(draws, where(step)).toEqual(expected);
          for (const [id] of draws) expect(deposits[Number(id) - 1]!.withdrawn, `${where(step)}: drew withdrawn deposit ${id}`).toBe(false);
        } else if (roll < 0.6) {
          const id = pickId();
          const d = deposits[Number(id) - 1];
          const sponsor = d ? sponsors[d.sponsor]! : sponsorA;
          const due = d !== undefined && !d.withdrawn && d.withdrawableAt === 0n && d.remaining !== 0n;
          const call = vault.connect(sponsor).announceWithdrawal(id);
          expect(await reverts(call), `${where(step)}: announce ${id}`).toBe(!due);
          if (due) {
            d.withdrawableAt = (await now()) + NOTICE;
            seen.announced++;
          } else seen.refused++;
        } else if (roll < 0.68) {
          const id = pickAnnounced();
          const d = deposits[Number(id) - 1];
          const due = d !== undefined && !d.withdrawn && d.withdrawableAt !== 0n;
          const call = vault.connect(d ? sponsors[d.sponsor]! : sponsorA).cancelWithdrawal(id);
          expect(await reverts(call), `${where(step)}: cancel ${id}`).toBe(!due);
          if (due) {
            d.withdrawableAt = 0n;
            seen.cancelled++;
          } else seen.refused++;
        } else if (roll < 0.85) {
          const id = pickAnnounced();
          const d = deposits[Number(id) - 1];
          // The next block's timestamp is at least one second on.
          const due = d !== undefined && !d.withdrawn && d.withdrawableAt !== 0n && (await now()) + 1n >= d.withdrawableAt;
          const sponsor = d ? sponsors[d.sponsor]! : sponsorA;
          const [before] = await balancesOf(stablecoin, sponsor);
          const call = vault.connect(stranger).withdraw(id);
          expect(await reverts(call), `${where(step)}: withdraw ${id}`).toBe(!due);
          if (due) {
            const [after] = await balancesOf(stablecoin, sponsor);
            expect(after! - before!, `${where(step)}: paid back for deposit ${id}`).toBe(d.remaining);
            d.remaining = 0n;
            d.withdrawn = true;
            seen.withdrawn++;
          } else seen.refused++;
        } else {
          await networkHelpers.time.increase(random.pick([60n, NOTICE / 2n, NOTICE, 2n * NOTICE]));
        }

        const left = deposits.reduce((sum, d) => sum + d.remaining, 0n);
        const announced = deposits.reduce((sum, d) => sum + (d.withdrawableAt !== 0n && !d.withdrawn ? d.remaining : 0n), 0n);
        const [, depositsLeft] = await vault.solvency(program.target);
        expect(depositsLeft, `${where(step)}: available`).toBe(left);
        expect(await stablecoin.balanceOf(vault.target), `${where(step)}: vault balance`).toBe(left);
        expect(await vault.announcedWithdrawals(program.target), `${where(step)}: announced`).toBe(announced);
      }
      for (const [i, d] of deposits.entries()) {
        expect(await vault.depositRemaining(BigInt(i + 1)), `seed ${seed}: deposit ${i + 1}`).toBe(d.remaining);
        expect(await vault.getWithdrawal(BigInt(i + 1)), `seed ${seed}: withdrawal ${i + 1}`).toEqual([d.withdrawableAt, d.withdrawn]);
      }
    }
    // Every branch was reached, so a green run means something.
    for (const [outcome, count] of Object.entries(seen)) expect(count, outcome).toBeGreaterThan(0);
  }, 120_000);
});
