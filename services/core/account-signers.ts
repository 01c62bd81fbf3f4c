/**
 * A passkey account's further signers (contracts/CollectorAccount.sol): another phone's passkey or a recovery
 * phrase's key. How a signer is named (its bytes), the EIP-712 change a signer signs to add or remove one, and the
 * tagged form an added signer's signatures take. Pure, so the phone builds exactly what the account checks.
 */
import { concat, dataLength, getAddress, keccak256, TypedDataEncoder, type TypedDataDomain } from "ethers";
import type { PasskeyKey } from "./account-signature.js";

/** The account's EIP-712 domain: it names the account's address, so it is known before the account exists. */
export const accountDomain = (chainId: bigint, account: string): TypedDataDomain => ({
  name: "CollectorAccount",
  version: "1",
  chainId,
  verifyingContract: account,
});

const CHANGE_FIELDS = [
  { name: "signer", type: "bytes" },
  { name: "nonce", type: "uint256" },
  { name: "deadline", type: "uint256" },
];
export const SIGNER_CHANGE_TYPES = {
  add: { AddSigner: CHANGE_FIELDS },
  remove: { RemoveSigner: CHANGE_FIELDS },
} as const;
export type SignerChangeKind = keyof typeof SIGNER_CHANGE_TYPES;

/** A change of an account's signers, as a signer signs it. */
export interface SignerChange {
  kind: SignerChangeKind;
  /** The signer's bytes: `passkeySigner` or `keySigner`. */
  signer: string;
  nonce: bigint;
  /** Unix seconds. */
  deadline: bigint;
}

/** A passkey as a signer: qx ‖ qy, 64 bytes. */
export const passkeySigner = (key: PasskeyKey) => concat([key.qx, key.qy]);
/** A key's address as a signer: its 20 bytes. */
export const keySigner = (address: string) => getAddress(address).toLowerCase();
/** What SignerAdded and SignerRemoved index a signer by. */
export const signerId = (signer: string) => keccak256(signer);

/** The signer's bytes taken apart; undefined unless 20 (a key) or 64 (a passkey) bytes. */
export function signerKind(signer: string): { key: string } | { passkey: PasskeyKey } | undefined {
  if (dataLength(signer) === 20) return { key: getAddress(signer) };
  if (dataLength(signer) === 64) return { passkey: { qx: signer.slice(0, 66), qy: `0x${signer.slice(66)}` } };
  return undefined;
}

/** The EIP-712 digest a signer signs for `change` of `account`'s signers. */
export function signerChangeDigest(chainId: bigint, account: string, change: SignerChange): string {
  const { signer, nonce, deadline } = change;
  return TypedDataEncoder.hash(accountDomain(chainId, account), SIGNER_CHANGE_TYPES[change.kind], { signer, nonce, deadline });
}

/** An added passkey's signature: tag 0x01, its key, then its ABI-encoded WebAuthn assertion. */
export const addedPasskeySignature = (key: PasskeyKey, assertion: string) => concat(["0x01", key.qx, key.qy, assertion]);
/** An added key's signature: tag 0x02, its address, then its 65-byte ECDSA signature. */
export const addedKeySignature = (address: string, signature: string) => concat(["0x02", getAddress(address), signature]);

/** The added signer a tagged signature names (the first passkey's own form names none). */
export function taggedSigner(signature: string): string | undefined {
  const length = dataLength(signature);
  if (length % 32 === 0) return undefined;
  if (signature.startsWith("0x01") && length > 65) return `0x${signature.slice(4, 4 + 128)}`;
  if (signature.startsWith("0x02") && length === 86) return `0x${signature.slice(4, 4 + 40)}`;
  return undefined;
}
