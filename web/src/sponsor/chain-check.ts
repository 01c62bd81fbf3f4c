import { Contract } from "ethers";
import { chainNode } from "../network.js";
import { checkFundFlowOnChain } from "../../../services/chain/fund-flow-verify.js";
import type { NetworkInfo } from "../../../services/api/client/types.js";
import type { FundFlowReport } from "../../../services/core/fund-flow-present.js";
import type { Report } from "./flows.js";

/**
 * The report checked in this browser against the chain's own node (network.rpcUrl, not our API): the same
 * check as `npm run verify` (services/chain/fund-flow-verify.ts). Loaded only when the sponsor asks, so the
 * page's first paint never waits for ethers.
 */
export async function checkOnChain(network: NetworkInfo, report: Report) {
  // The chain id is checked below rather than detected, so a node on another chain is a difference, not a hang.
  const provider = chainNode(network);
  try {
    const chainId = Number(await provider.send("eth_chainId", []));
    if (chainId !== network.chainId) {
      return { differences: [`the node at ${network.rpcUrl} is on chain ${chainId}, not ${network.chainId}`], counts: undefined };
    }
    // The stablecoin's decimals from the chain too: the amounts are rebuilt without any figure of ours.
    const coin = new Contract(network.contracts.stablecoin, ["function decimals() view returns (uint8)"], provider);
    const decimals = Number(await coin.getFunction("decimals")());
    const { chain, differences } = await checkFundFlowOnChain(provider, network, {
      sponsor: report.sponsor,
      fromBlock: report.fromBlock,
      toBlock: report.toBlock,
      decimals,
      // The answer's schema type and the presenter's differ only in `solvency?:` against `solvency: … | undefined`.
      api: report as FundFlowReport,
    });
    const counts = {
      deposits: chain.deposits.length,
      draws: chain.deposits.reduce((n, d) => n + d.draws.length, 0),
      credits: report.programs.reduce((n, p) => n + p.collections.credits.length, 0),
    };
    return { differences, counts };
  } finally {
    provider.destroy();
  }
}
