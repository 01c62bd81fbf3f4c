import type { Signer } from "ethers";
import { vaultDomain } from "./deposit-signatures.js";

const withdrawalFields = [
  { name: "sponsor", type: "address" },
  { name: "depositId", type: "uint256" },
  { name: "nonce", type: "uint256" },
  { name: "deadline", type: "uint256" },
];

/** The vault's EIP-712 AnnounceWithdrawal struct: a sponsor's consent to announce one deposit's withdrawal. */
export const ANNOUNCE_WITHDRAWAL_TYPES = { AnnounceWithdrawal: withdrawalFields };
/** The vault's EIP-712 CancelWithdrawal struct: a sponsor's consent to cancel one deposit's announced withdrawal. */
export const CANCEL_WITHDRAWAL_TYPES = { CancelWithdrawal: withdrawalFields };

export type WithdrawalAction = "announce" | "cancel";

/** What a sponsor signs to announce or cancel a deposit's withdrawal, read from the chain just before signing. */
export interface WithdrawalToSign {
  chainId: bigint;
  vault: string;
  sponsor: string;
  depositId: bigint;
  /** The vault's `nonces(sponsor)` (one sequence with deposits). */
  nonce: bigint;
  deadline: bigint;
}

/** The sponsor's signature for POST /v1/deposits/:id/withdrawal (announce) or its cancellation. */
export function signWithdrawalRequest(
  signer: Pick<Signer, "signTypedData">,
  action: WithdrawalAction,
  request: WithdrawalToSign,
): Promise<string> {
  const types = action === "announce" ? ANNOUNCE_WITHDRAWAL_TYPES : CANCEL_WITHDRAWAL_TYPES;
  const message = { sponsor: request.sponsor, depositId: request.depositId, nonce: request.nonce, deadline: request.deadline };
  return signer.signTypedData(vaultDomain(request.chainId, request.vault), types, message);
}
