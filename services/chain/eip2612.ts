/** EIP-2612's typed data for a permit, as a RewardToken's EIP-712 domain (see rewardTokenDomain) checks it. */
export const PERMIT_TYPES = {
  Permit: [
    { name: "owner", type: "address" },
    { name: "spender", type: "address" },
    { name: "value", type: "uint256" },
    { name: "nonce", type: "uint256" },
    { name: "deadline", type: "uint256" },
  ],
};

export interface Permit {
  owner: string;
  spender: string;
  value: bigint;
  /** The token's `nonces(owner)` when signed: permits are ordered, so one is usable at a time. */
  nonce: bigint;
  deadline: bigint;
}
