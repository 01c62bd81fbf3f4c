import type { Signer, TypedDataDomain } from "ethers";
import { PERMIT_TYPES } from "./eip2612.js";

/** The vault's EIP-712 Deposit struct: a sponsor's consent to one deposit, relayed by anyone. */
export const DEPOSIT_TYPES = {
  Deposit: [
    { name: "sponsor", type: "address" },
    { name: "program", type: "address" },
    { name: "amount", type: "uint256" },
    { name: "nonce", type: "uint256" },
    { name: "deadline", type: "uint256" },
  ],
};

export interface DepositAuthorization {
  sponsor: string;
  program: string;
  amount: bigint;
  /** The vault's `nonces(sponsor)` when signed. */
  nonce: bigint;
  deadline: bigint;
}

/** SponsorVault's EIP-712 domain: EIP712("SponsorVault", "1") at the vault's address. */
export const vaultDomain = (chainId: bigint, vault: string): TypedDataDomain => ({
  name: "SponsorVault",
  version: "1",
  chainId,
  verifyingContract: vault,
});

/** The minimal ABI to read an ERC-5267 token's EIP-712 domain and its EIP-2612 nonces (any OZ stablecoin). */
export const PERMIT_TOKEN_ABI = [
  "function eip712Domain() view returns (bytes1 fields, string name, string version, uint256 chainId, address verifyingContract, bytes32 salt, uint256[] extensions)",
  "function nonces(address owner) view returns (uint256)",
];

/** What a sponsor signs for one relayed deposit, read from the chain just before signing. */
export interface DepositToSign {
  chainId: bigint;
  vault: string;
  /** The stablecoin's address and its EIP-712 name (its domain's version is "1"). */
  stablecoin: { address: string; name: string };
  sponsor: string;
  /** The program's token address. */
  program: string;
  amount: bigint;
  /** The stablecoin's `nonces(sponsor)` and the vault's `nonces(sponsor)`. */
  permitNonce: bigint;
  depositNonce: bigint;
  deadline: bigint;
}

/**
 * The sponsor's two signatures for POST /v1/deposits: the stablecoin's EIP-2612 permit to the vault and the
 * vault's Deposit authorization, both over `deadline`. `signer` is normally the sponsor (a test may forge).
 */
export async function signDepositRequest(
  signer: Pick<Signer, "signTypedData">,
  request: DepositToSign,
): Promise<{ permitSignature: string; depositSignature: string }> {
  const permitDomain = { name: request.stablecoin.name, version: "1", chainId: request.chainId, verifyingContract: request.stablecoin.address };
  const permit = { owner: request.sponsor, spender: request.vault, value: request.amount, nonce: request.permitNonce, deadline: request.deadline };
  const authorization: DepositAuthorization = {
    sponsor: request.sponsor,
    program: request.program,
    amount: request.amount,
    nonce: request.depositNonce,
    deadline: request.deadline,
  };
  return {
    permitSignature: await signer.signTypedData(permitDomain, PERMIT_TYPES, permit),
    depositSignature: await signer.signTypedData(vaultDomain(request.chainId, request.vault), DEPOSIT_TYPES, authorization),
  };
}
