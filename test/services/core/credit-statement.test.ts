import { AbiCoder, keccak256, Wallet } from "ethers";
import { describe, expect, it } from "vitest";
import { signCreditStatement } from "../../../services/chain/credit-statement-signer.js";
import { creditScore } from "../../../services/core/credit-score.js";
import { creditStatement, factorsHash, verifyCreditStatement } from "../../../services/core/credit-statement.js";

const operator = Wallet.createRandom();
const collector = Wallet.createRandom().address;
const asOf = new Date("2026-11-25T12:00:00.750Z");
const score = creditScore({ credits: [{ at: new Date("2026-11-20T00:00:00Z"), tokens: 10n ** 19n }], payments: [] }, asOf);

describe("credit statement", () => {
  it("hashes the factors' names, values and weights as an ABI-encoded tuple array, without the explanations", () => {
    const expected = keccak256(
      AbiCoder.defaultAbiCoder().encode(["tuple(string,uint16,uint16)[]"], [score.factors.map((f) => [f.name, f.value, f.weight])]),
    );
    expect(factorsHash(score.factors)).toBe(expected);
    expect(factorsHash(score.factors.map((f) => ({ ...f, explanation: "reworded" })))).toBe(expected);
    expect(factorsHash(score.factors.map((f, i) => (i === 0 ? { ...f, value: f.value + 1 } : f)))).not.toBe(expected);
  });

  it("verifies offline against the signer and fails when anything is altered", async () => {
    const statement = creditStatement(collector.toLowerCase(), score);
    expect(statement).toMatchObject({ collector, score: score.score, asOf: Math.floor(asOf.getTime() / 1000) });
    const signed = await signCreditStatement(operator, 31337, statement);
    expect(signed.signer).toBe(operator.address);
    expect(verifyCreditStatement(statement, signed.signature, operator.address.toLowerCase(), 31337)).toBe(true);

    expect(verifyCreditStatement({ ...statement, score: statement.score + 1 }, signed.signature, operator.address, 31337)).toBe(false);
    expect(verifyCreditStatement({ ...statement, collector: Wallet.createRandom().address }, signed.signature, operator.address, 31337)).toBe(false);
    expect(verifyCreditStatement({ ...statement, asOf: statement.asOf + 1 }, signed.signature, operator.address, 31337)).toBe(false);
    expect(verifyCreditStatement(statement, signed.signature, operator.address, 1)).toBe(false);
    expect(verifyCreditStatement(statement, signed.signature, Wallet.createRandom().address, 31337)).toBe(false);
    expect(verifyCreditStatement(statement, "0x1234", operator.address, 31337)).toBe(false);
    const other = await signCreditStatement(Wallet.createRandom(), 31337, statement);
    expect(verifyCreditStatement(statement, other.signature, operator.address, 31337)).toBe(false);
  });
});
