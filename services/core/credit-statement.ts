/**
 * The network's signed word on a collector's score: EIP-712
 * `CreditStatement(address collector,uint16 score,uint64 asOf,bytes32 factorsHash)` under the same domain as
 * the collector login, `{name: "recircle", version: "1", chainId}` (no contract: nothing on chain checks it,
 * and a lender verifies it offline, with the operator's address as the only thing to trust).
 *
 * factorsHash = keccak256(abi.encode((string name, uint16 value, uint16 weight)[] factors)), the factors in
 * the order of FACTOR_ORDER (credit-score.ts), names as the API shows them ("tenure", "regularity",
 * "volumeTrend", "paymentBehaviour"). The explanations are left out: they are prose for people and may be
 * reworded; the numbers are what the score is made of. With the hash a lender can hold us to the factors
 * the API returned; without the factors the statement still binds the score.
 */
import { AbiCoder, getAddress, keccak256, verifyTypedData } from "ethers";
import { loginDomain } from "./collector-login.js";
import type { Factor } from "./credit-score.js";

export const CREDIT_STATEMENT_TYPES = {
  CreditStatement: [
    { name: "collector", type: "address" },
    { name: "score", type: "uint16" },
    { name: "asOf", type: "uint64" },
    { name: "factorsHash", type: "bytes32" },
  ],
};

export interface CreditStatement {
  /** EIP-55. */
  collector: string;
  score: number;
  /** Unix seconds. */
  asOf: number;
  factorsHash: string;
}

/** The domain is the login's: one name and version for everything the network signs off chain. */
export const creditStatementDomain = loginDomain;

export function factorsHash(factors: readonly Pick<Factor, "name" | "value" | "weight">[]): string {
  const encoded = AbiCoder.defaultAbiCoder().encode(
    ["tuple(string name,uint16 value,uint16 weight)[]"],
    [factors.map((f) => [f.name, f.value, f.weight])],
  );
  return keccak256(encoded);
}

/** The statement for a score: `asOf` is truncated to whole seconds, as uint64 holds it. */
export function creditStatement(collector: string, score: { score: number; asOf: Date; factors: readonly Factor[] }): CreditStatement {
  return {
    collector: getAddress(collector.toLowerCase()),
    score: score.score,
    asOf: Math.floor(score.asOf.getTime() / 1000),
    factorsHash: factorsHash(score.factors),
  };
}

/**
 * For lenders, offline: whether `signature` is `expectedSigner`'s signature of `statement` on `chainId`.
 * False, never a throw, for a malformed signature: a lender's check is a yes or a no.
 */
export function verifyCreditStatement(
  statement: CreditStatement,
  signature: string,
  expectedSigner: string,
  chainId: bigint | number,
): boolean {
  try {
    const signer = verifyTypedData(creditStatementDomain(chainId), CREDIT_STATEMENT_TYPES, statement, signature);
    return signer === getAddress(expectedSigner.toLowerCase());
  } catch {
    return false;
  }
}
