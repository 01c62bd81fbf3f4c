import { recoverAddress } from "ethers";
import { isKeySignature, isPasskeyAssertion, parseAccountSignature } from "../core/account-signature.js";
import { badRequest, RecircleError } from "../core/errors.js";
import { accountAddressOf, passkeyOf } from "../chain/collector-accounts.js";
import { taggedSigner } from "../core/account-signers.js";
import { CollectorAccount__factory } from "../../types/ethers-contracts/index.js";
import type { Chain } from "../chain/network.js";

const ERC1271_MAGIC = "0x1626ba7e";

/** Why a signature is not its signer's, in words for the error's message. */
export type SignatureCheck = { ok: true } | { ok: false; why: string };

/**
 * Whether `signature` is `signer`'s signature of the EIP-712 `digest`, as a token or the API checks it: a key's
 * ECDSA signature, or a passkey account's WebAuthn assertion (ERC-1271). An account not created yet signs
 * wrapped as ERC-6492, naming this network's account factory and the key its address derives from. A signer added
 * to an account (another phone, a recovery key) signs in the tagged form that names it; the account exists then,
 * and answers for it itself (ERC-1271, the same call the token makes).
 */
export async function checkSignerSignature(
  chain: Pick<Chain, "provider" | "deployment">,
  signer: string,
  digest: string,
  signature: string,
): Promise<SignatureCheck> {
  if (isKeySignature(signature)) {
    let recovered: string | undefined;
    try {
      recovered = recoverAddress(digest, signature);
    } catch {
      recovered = undefined;
    }
    return recovered === signer ? { ok: true } : { ok: false, why: "another key signed it" };
  }
  const factory = chain.deployment.contracts.collectorAccounts;
  if (!factory) throw badRequest("RC_PASSKEY_UNSUPPORTED", "this network has no passkey accounts: sign with a key");
  const parsed = parseAccountSignature(signature);
  if (!parsed) return { ok: false, why: "a wrapped signature may ask for nothing but the signer's account" };
  let key = await passkeyOf(chain.provider, signer);
  if (key && !parsed.creation && taggedSigner(parsed.inner)) {
    const answer = await CollectorAccount__factory.connect(signer, chain.provider).isValidSignature(digest, parsed.inner);
    return answer === ERC1271_MAGIC ? { ok: true } : { ok: false, why: "no signer of the account signed it" };
  }
  if (!key) {
    // Not created yet: the wrapper must name exactly this account, through this network's factory.
    if (!parsed.creation) return { ok: false, why: "no account exists at this address yet; its first signature names its key" };
    if (parsed.creation.factory.toLowerCase() !== factory.toLowerCase()) return { ok: false, why: "it names another account factory" };
    if ((await accountAddressOf(chain.provider, factory, parsed.creation.key)) !== signer) {
      return { ok: false, why: "the account it names is not the signer's" };
    }
    key = parsed.creation.key;
  }
  return isPasskeyAssertion(digest, parsed.inner, key) ? { ok: true } : { ok: false, why: "the account's passkey did not sign it" };
}

/** `checkSignerSignature`, throwing RC_INVALID_SIGNATURE with `status` when it fails. */
export async function requireSignerSignature(
  chain: Pick<Chain, "provider" | "deployment">,
  signer: string,
  digest: string,
  signature: string,
  what: string,
  status: 400 | 401 = 400,
): Promise<void> {
  const check = await checkSignerSignature(chain, signer, digest, signature);
  if (!check.ok) throw new RecircleError("RC_INVALID_SIGNATURE", status, `the signature is not ${what}: ${check.why}`);
}
