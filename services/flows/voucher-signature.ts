import { collectorAccountAddress, wrappedForCreation } from "../core/counterfactual-account.js";
import { badRequest, RecircleError } from "../core/errors.js";
import { recoverP256Keys } from "../core/p256-recover.js";
import { assertionMessageHash, assertionSignature, type VoucherAssertion } from "../core/voucher-assertion.js";
import type { Chain } from "../chain/network.js";

/**
 * The signature a passkey voucher stands for, as the token will check it: its assertion with the challenge put back
 * (base64url of `digest`, the EIP-712 digest of the voucher's terms), ERC-6492-wrapped when the payer's account does
 * not exist yet. The voucher leaves the passkey's public key out (64 bytes less in the QR code): it is recovered from
 * the signature, and the key whose account, through this network's factory, is the payer's is the one named. When
 * none is, the passkey signed other terms than the voucher's (or is not the payer's): refused here, as the chain would.
 */
export async function voucherSignature(chain: Pick<Chain, "provider" | "deployment">, payer: string, assertion: VoucherAssertion, digest: string): Promise<string> {
  const signature = assertionSignature(assertion, digest);
  if ((await chain.provider.getCode(payer)) !== "0x") return signature;
  const factory = chain.deployment.contracts.collectorAccounts;
  if (!factory) throw badRequest("RC_PASSKEY_UNSUPPORTED", "this network has no passkey accounts: sign with a key");
  const keys = recoverP256Keys(assertionMessageHash(assertion, digest), BigInt(assertion.r), BigInt(assertion.s));
  const key = keys.find((candidate) => collectorAccountAddress(factory, candidate) === payer);
  if (!key) {
    throw new RecircleError("RC_INVALID_SIGNATURE", 400, "the signature is not the payer's authorization: no passkey that could have signed these terms owns the paying account");
  }
  return wrappedForCreation(factory, key, signature);
}
