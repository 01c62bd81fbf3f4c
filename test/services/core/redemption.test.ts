import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  BPS,
  InsufficientDepositsError,
  TOKEN_UNIT,
  drawFifo,
  quoteRedemption,
  solvency,
  type DepositBalance,
} from "../../../services/core/redemption.js";

const RATE = 10_000n; // 0.01 of a 6-decimal dollar per whole token
const uint = (max: bigint) => fc.bigInt({ min: 0n, max });
const feeBps = fc.bigInt({ min: 0n, max: 1_000n }); // the vault's MAX_FEE_BPS
const tokenAmount = uint(10n ** 30n);
const rate = fc.bigInt({ min: 1n, max: 10n ** 12n });
const deposits = fc
  .array(fc.bigInt({ min: 0n, max: 10n ** 9n }), { maxLength: 8 })
  .map((amounts) => amounts.map((remaining, i): DepositBalance => ({ id: BigInt(i + 1), remaining })));
const sum = (values: readonly bigint[]) => values.reduce((a, b) => a + b, 0n);

describe("quoteRedemption", () => {
  it("values whole tokens at the rate and takes the fee in basis points", () => {
    expect(quoteRedemption(1_000n * TOKEN_UNIT, RATE, 50n)).toEqual({ gross: 10_000_000n, fee: 50_000n, net: 9_950_000n });
  });

  it("rounds the value down to whole stablecoin units", () => {
    // 1.99999… units of value are worth 1 unit.
    expect(quoteRedemption((2n * TOKEN_UNIT) / RATE - 1n, RATE, 0n).gross).toBe(1n);
  });

  it("rounds the fee up, so even one unit of value pays one unit of fee", () => {
    expect(quoteRedemption(TOKEN_UNIT / RATE, RATE, 50n)).toEqual({ gross: 1n, fee: 1n, net: 0n });
    expect(quoteRedemption(201n * (TOKEN_UNIT / RATE), RATE, 50n)).toEqual({ gross: 201n, fee: 2n, net: 199n });
  });

  it("charges nothing when the fee is zero", () => {
    expect(quoteRedemption(5n * TOKEN_UNIT, RATE, 0n)).toEqual({ gross: 50_000n, fee: 0n, net: 50_000n });
  });

  it("rejects negative inputs and fees above 100%", () => {
    expect(() => quoteRedemption(-1n, RATE, 50n)).toThrow(RangeError);
    expect(() => quoteRedemption(1n, RATE, BPS + 1n)).toThrow(RangeError);
  });

  it("never takes a fee above the gross, and net plus fee is the gross", () => {
    fc.assert(
      fc.property(tokenAmount, rate, feeBps, (tokens, r, bps) => {
        const { gross, fee, net } = quoteRedemption(tokens, r, bps);
        expect(fee).toBeLessThanOrEqual(gross);
        expect(net + fee).toBe(gross);
        expect(net).toBeGreaterThanOrEqual(0n);
      }),
    );
  });

  it("never takes less than the exact fee, nor a whole unit more", () => {
    fc.assert(
      fc.property(tokenAmount, rate, feeBps, (tokens, r, bps) => {
        const { gross, fee } = quoteRedemption(tokens, r, bps);
        expect(fee * BPS).toBeGreaterThanOrEqual(gross * bps);
        expect((fee - 1n) * BPS).toBeLessThan(gross * bps);
      }),
    );
  });

  it("never pays more than the tokens are worth", () => {
    fc.assert(
      fc.property(tokenAmount, rate, feeBps, (tokens, r, bps) => {
        expect(quoteRedemption(tokens, r, bps).gross * TOKEN_UNIT).toBeLessThanOrEqual(tokens * r);
      }),
    );
  });

  it("never lowers the fee on the value actually paid, nor pays more, when a redemption is split in two", () => {
    fc.assert(
      fc.property(tokenAmount, tokenAmount, rate, feeBps, (a, b, r, bps) => {
        const whole = quoteRedemption(a + b, r, bps);
        const first = quoteRedemption(a, r, bps);
        const second = quoteRedemption(b, r, bps);
        // Each part's value rounds down, so the parts may be worth a unit less than the whole; the fee is
        // owed on what is paid: at least the fee the whole would owe on that same value.
        const paid = first.gross + second.gross;
        const feeOnPaid = (paid * bps + BPS - 1n) / BPS;
        expect(first.fee + second.fee).toBeGreaterThanOrEqual(feeOnPaid);
        // And splitting never pays the retailer more in total.
        expect(first.net + second.net).toBeLessThanOrEqual(whole.net);
      }),
      { numRuns: 2_000 },
    );
  });
});

describe("drawFifo", () => {
  const book = (...amounts: bigint[]) => amounts.map((remaining, i) => ({ id: BigInt(i + 1), remaining }));

  it("draws from the oldest deposit first and partly from the next", () => {
    const { draws, remaining } = drawFifo(book(100n, 50n, 70n), 120n);
    expect(draws).toEqual([
      { depositId: 1n, amount: 100n },
      { depositId: 2n, amount: 20n },
    ]);
    expect(remaining).toEqual(book(0n, 30n, 70n));
  });

  it("skips exhausted deposits without drawing zero from them", () => {
    expect(drawFifo(book(0n, 0n, 70n), 70n).draws).toEqual([{ depositId: 3n, amount: 70n }]);
  });

  it("draws nothing for a zero amount", () => {
    expect(drawFifo(book(5n), 0n)).toEqual({ draws: [], remaining: book(5n) });
  });

  it("throws a coded error with what is available and needed when the deposits fall short", () => {
    const attempt = () => drawFifo(book(10n, 20n), 31n);
    expect(attempt).toThrow(InsufficientDepositsError);
    expect(attempt).toThrow(expect.objectContaining({ code: "RC_INSUFFICIENT_DEPOSITS", available: 30n, needed: 31n }));
  });

  it("leaves its input untouched", () => {
    const input = book(10n, 20n);
    drawFifo(input, 25n);
    expect(input).toEqual(book(10n, 20n));
  });

  const coveredDraw = deposits.chain((ds) => fc.record({ ds: fc.constant(ds), amount: uint(sum(ds.map((d) => d.remaining))) }));

  it("draws exactly the amount, never more than a deposit holds, and conserves the total", () => {
    fc.assert(
      fc.property(coveredDraw, ({ ds, amount }) => {
        const { draws, remaining } = drawFifo(ds, amount);
        expect(sum(draws.map((d) => d.amount))).toBe(amount);
        for (const draw of draws) {
          const before = ds.find((d) => d.id === draw.depositId);
          expect(draw.amount).toBeGreaterThan(0n);
          expect(draw.amount).toBeLessThanOrEqual(before?.remaining ?? -1n);
        }
        remaining.forEach((after, i) => {
          const before = ds[i] as DepositBalance;
          const drawn = draws.find((d) => d.depositId === before.id)?.amount ?? 0n;
          expect(after).toEqual({ id: before.id, remaining: before.remaining - drawn });
        });
      }),
    );
  });

  it("respects deposit order: every deposit before the last one drawn is exhausted", () => {
    fc.assert(
      fc.property(coveredDraw, ({ ds, amount }) => {
        const { draws, remaining } = drawFifo(ds, amount);
        const order = draws.map((d) => ds.findIndex((x) => x.id === d.depositId));
        expect(order).toEqual([...order].sort((a, b) => a - b));
        // With nothing drawn, "the last one drawn" is before the first deposit.
        const last = order.at(-1) ?? -1;
        for (const before of remaining.slice(0, Math.max(last, 0))) expect(before.remaining).toBe(0n);
        // Deposits after the last one drawn are untouched.
        expect(remaining.slice(last + 1)).toEqual(ds.slice(last + 1));
      }),
    );
  });

  it("gives the same result drawn at once or in two steps", () => {
    fc.assert(
      fc.property(coveredDraw, fc.double({ min: 0, max: 1, noNaN: true }), ({ ds, amount }, split) => {
        const a = (amount * BigInt(Math.round(split * 1000))) / 1000n;
        const first = drawFifo(ds, a);
        const second = drawFifo(first.remaining, amount - a);
        expect(second.remaining).toEqual(drawFifo(ds, amount).remaining);
      }),
    );
  });

  it("throws whenever the amount exceeds the deposits", () => {
    fc.assert(
      fc.property(deposits, fc.bigInt({ min: 1n, max: 10n ** 9n }), (ds, excess) => {
        const available = sum(ds.map((d) => d.remaining));
        expect(() => drawFifo(ds, available + excess)).toThrow(InsufficientDepositsError);
      }),
    );
  });
});

describe("solvency", () => {
  it("values the supply at the rate, rounded down, and is solvent when deposits cover it", () => {
    expect(solvency(1_000n * TOKEN_UNIT, RATE, 10_000_000n)).toEqual({
      outstandingValue: 10_000_000n,
      depositsLeft: 10_000_000n,
      solvent: true,
    });
    expect(solvency(1_000n * TOKEN_UNIT, RATE, 9_999_999n).solvent).toBe(false);
    expect(solvency(TOKEN_UNIT / RATE - 1n, RATE, 0n)).toEqual({ outstandingValue: 0n, depositsLeft: 0n, solvent: true });
  });

  it("calls a program solvent exactly when a redemption of the whole supply could be paid", () => {
    fc.assert(
      fc.property(tokenAmount, rate, uint(10n ** 20n), (supply, r, left) => {
        const { gross } = quoteRedemption(supply, r, 0n);
        expect(solvency(supply, r, left).solvent).toBe(left >= gross);
      }),
    );
  });
});
