/**
 * Signs credit statements with the network's operator key. A signature only: no transaction, no nonce, so it
 * may run alongside the chain writer's sends with the same wallet.
 */
import type { Signer } from "ethers";
import { CREDIT_STATEMENT_TYPES, creditStatementDomain, type CreditStatement } from "../core/credit-statement.js";

export async function signCreditStatement(
  signer: Signer,
  chainId: bigint | number,
  statement: CreditStatement,
): Promise<{ signature: string; signer: string }> {
  const signature = await signer.signTypedData(creditStatementDomain(chainId), CREDIT_STATEMENT_TYPES, statement);
  return { signature, signer: await signer.getAddress() };
}
