import type { Provider } from "ethers";
import { checkCredits, compareMoney } from "../core/fund-flow-compare.js";
import { presentFundFlow, reportBlocks, type FundFlowReport } from "../core/fund-flow-present.js";
import { buildFundFlow } from "../core/fund-flow.js";
import { readBlockTimes, readCreditReceipts, readFundFlowInput, type VaultDeployment } from "./fund-flow-logs.js";

/**
 * A sponsor's fund flow checked against the chain, from any provider: what scripts/verify-fund-flow.ts (Node,
 * an RPC URL and the address book) and the sponsor's page (a browser, GET /v1/network's RPC URL and contracts)
 * both run. Browser-safe: ethers and the pure core only, no node: modules.
 */
export interface ChainCheck {
  sponsor: string;
  fromBlock: number;
  toBlock: number;
  /** The stablecoin's decimals, as the vault's amounts are presented. */
  decimals: number;
  /** The API's report, when there is one to check: its blocks are the ones rebuilt. */
  api?: FundFlowReport | undefined;
}

/**
 * The money part (deposits, draws, fees, what is left, solvency) rebuilt from the vault's logs and views
 * alone over [fromBlock, toBlock]; with `api`, every difference from it, and every credited collection it
 * lists checked against the Credited logs of the transaction it names. No difference: the API told the truth.
 */
export async function checkFundFlowOnChain(provider: Provider, deployment: VaultDeployment, check: ChainCheck) {
  const { sponsor, fromBlock, toBlock, decimals, api } = check;
  const input = await readFundFlowInput(provider, deployment, sponsor, fromBlock, toBlock);
  const flow = buildFundFlow(input);
  const chain: FundFlowReport = presentFundFlow(flow, decimals, await readBlockTimes(provider, reportBlocks(flow)));
  const differences: string[] = [];
  if (api) {
    differences.push(...compareMoney(chain, api));
    const txHashes = api.programs.flatMap((p) => p.collections.credits.map((c) => c.txHash));
    differences.push(...checkCredits(api, await readCreditReceipts(provider, txHashes)));
  }
  return { chain, differences };
}
