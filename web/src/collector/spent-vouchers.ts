import { Contract } from "ethers";
import { chainNode, loadNetwork } from "../network.js";
import { keptVouchers, release } from "./kept-vouchers.js";

/**
 * Lets go of kept vouchers the chain has already used (the shop submitted them): the token's EIP-3009
 * authorizationState, read from the chain's own node. Unreachable (offline), everything stays kept.
 */
export async function releaseSpent(wallet: string): Promise<void> {
  if (keptVouchers.value.length === 0) return;
  const network = await loadNetwork();
  const provider = chainNode(network);
  try {
    for (const signed of keptVouchers.value) {
      const program = network.programs.find((p) => p.id === signed.programId);
      if (!program) continue;
      const token = new Contract(program.token, ["function authorizationState(address, bytes32) view returns (bool)"], provider);
      if ((await token.getFunction("authorizationState")(signed.authorization.from, signed.authorization.nonce)) === true) {
        release(wallet, signed.authorization.nonce);
      }
    }
  } finally {
    provider.destroy();
  }
}
