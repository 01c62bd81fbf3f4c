import { JsonRpcProvider, Network } from "ethers";
import type { NetworkInfo, PublicProgram } from "../../services/api/client/types.js";
import { api } from "./api.js";

/** GET /v1/network: the chain, the contracts and every program's token (public). */
let cached: Promise<NetworkInfo> | undefined;
const STORAGE_KEY = "recircle.network";

/**
 * Read once per page load; `refresh` after an admin may have created a program. Without a connection, the
 * last copy this phone read: contracts and token domains do not change, so signing a voucher still works.
 */
export function loadNetwork(refresh = false): Promise<NetworkInfo> {
  if (!cached || refresh) {
    cached = api.network().then(
      (network) => {
        localStorage.setItem(STORAGE_KEY, JSON.stringify(network));
        return network;
      },
      (error) => {
        const kept = localStorage.getItem(STORAGE_KEY);
        if (kept) return JSON.parse(kept) as NetworkInfo;
        cached = undefined;
        throw error;
      },
    );
  }
  return cached;
}

/** A RewardToken clone's EIP-712 domain: its program's name, version "1", the chain, the token. */
export const tokenDomain = (network: NetworkInfo, program: PublicProgram) => ({
  name: program.name,
  version: "1",
  chainId: network.chainId,
  verifyingContract: program.token,
});

/** The chain's own node (network.rpcUrl), not our API: what the page checks or reads on chain, it asks there. */
export const chainNode = (network: NetworkInfo) =>
  new JsonRpcProvider(network.rpcUrl, Network.from(network.chainId), { staticNetwork: true });

/**
 * Now, in seconds, on the chain's clock where it is ahead of the phone's: an on-chain deadline is compared with the
 * block's time, and a cheap phone's clock may be behind. The phone's own when the node cannot be asked.
 */
export async function chainNow(network: NetworkInfo): Promise<number> {
  const phone = Math.floor(Date.now() / 1000);
  try {
    return Math.max(phone, (await chainNode(network).getBlock("latest"))?.timestamp ?? 0);
  } catch {
    return phone;
  }
}
