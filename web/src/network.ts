import { api } from "./api.js";

export interface PublicProgram {
  id: number;
  name: string;
  symbol: string;
  token: string;
  kind: "recycling" | "loyalty";
  materials: string[];
  rates: Record<string, string>;
  redemptionRate: string;
}

/** GET /v1/network: the chain, the contracts and every program's token (public). */
export interface NetworkInfo {
  chainId: number;
  rpcUrl: string;
  explorerUrl: string | null;
  startBlock: number;
  contracts: { vault: string; stablecoin: string; factory: string; lotCertificate: string | null };
  stablecoin: { decimals: number };
  programs: PublicProgram[];
}

let cached: Promise<NetworkInfo> | undefined;

/** Read once per page load; `refresh` after an admin may have created a program. */
export function loadNetwork(refresh = false): Promise<NetworkInfo> {
  if (!cached || refresh) {
    cached = api<NetworkInfo>("/v1/network");
    cached.catch(() => (cached = undefined));
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
