import { Signature, type Signer, type TypedDataDomain } from "ethers";

/** EIP-3009's typed data for a transfer authorization, as the token's EIP-712 domain checks it. */
export const TRANSFER_WITH_AUTHORIZATION_TYPES = {
  TransferWithAuthorization: [
    { name: "from", type: "address" },
    { name: "to", type: "address" },
    { name: "value", type: "uint256" },
    { name: "validAfter", type: "uint256" },
    { name: "validBefore", type: "uint256" },
    { name: "nonce", type: "bytes32" },
  ],
};

export interface TransferAuthorization {
  from: string;
  to: string;
  value: bigint;
  validAfter: bigint;
  validBefore: bigint;
  /** 32 random bytes, hex: EIP-3009 nonces are unordered, so a phone can sign while offline. */
  nonce: string;
}

/** An authorization with its signature split the way `transferWithAuthorizationBatch` takes it. */
export interface SignedTransferAuthorization extends TransferAuthorization {
  v: number;
  r: string;
  s: string;
}

/** The EIP-712 domain of a RewardToken clone: its name, version "1", the chain and its address. */
export function rewardTokenDomain(name: string, chainId: bigint, token: string): TypedDataDomain {
  return { name, version: "1", chainId, verifyingContract: token };
}

/** Signs `authorization` as its `from` would, on a phone or in a test. */
export async function signTransferAuthorization(
  signer: Pick<Signer, "signTypedData">,
  domain: TypedDataDomain,
  authorization: TransferAuthorization,
): Promise<SignedTransferAuthorization> {
  const signature = Signature.from(
    await signer.signTypedData(domain, TRANSFER_WITH_AUTHORIZATION_TYPES, authorization),
  );
  return { ...authorization, v: signature.v, r: signature.r, s: signature.s };
}

/**
 * RewardToken's EIP-3009 and EIP-2612 functions in their v/r/s forms, by full signature: the token also has
 * the bytes forms of the same names (for contract accounts, as Circle's FiatToken v2.2), so a name alone is
 * ambiguous.
 */
export const VRS = {
  transferWithAuthorization: "transferWithAuthorization(address,address,uint256,uint256,uint256,bytes32,uint8,bytes32,bytes32)",
  receiveWithAuthorization: "receiveWithAuthorization(address,address,uint256,uint256,uint256,bytes32,uint8,bytes32,bytes32)",
  cancelAuthorization: "cancelAuthorization(address,bytes32,uint8,bytes32,bytes32)",
  permit: "permit(address,address,uint256,uint256,uint8,bytes32,bytes32)",
} as const;

/** The same functions in their bytes forms: ECDSA from keys, ERC-1271 from contract accounts. */
export const SIGNED = {
  transferWithAuthorization: "transferWithAuthorization(address,address,uint256,uint256,uint256,bytes32,bytes)",
  receiveWithAuthorization: "receiveWithAuthorization(address,address,uint256,uint256,uint256,bytes32,bytes)",
  cancelAuthorization: "cancelAuthorization(address,bytes32,bytes)",
  permit: "permit(address,address,uint256,uint256,bytes)",
} as const;
