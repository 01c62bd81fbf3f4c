import type { TypedDataDomain } from "ethers";

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
