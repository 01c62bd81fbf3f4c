import { getAddress, type Log, type Provider } from "ethers";
import type { CreditReceipt } from "../core/fund-flow-compare.js";
import type { CreditedLog, FundFlowInput, LogRef } from "../core/fund-flow.js";
import type { TtlCache } from "../core/ttl-cache.js";
// The ABI-only interface factories, not the contracts' (which carry bytecode): the sponsor's page imports this.
import { IRewardToken__factory } from "../../types/ethers-contracts/factories/interfaces/IRewardToken__factory.js";
import { ISponsorVault__factory } from "../../types/ethers-contracts/factories/interfaces/ISponsorVault__factory.js";

/**
 * The chain-only side of fund-flow verification: the vault's logs and views read straight from a node, with
 * no database, shaped as the core's input. A different reader from the indexer on purpose: if the indexer
 * (or the table it writes) were wrong, this one would disagree. Browser-safe (ethers only, no node: modules):
 * the sponsor's page reads the chain with it too.
 */

/** What these readers need of a deployment: the address book's entry, or GET /v1/network's answer. */
export interface VaultDeployment {
  startBlock: number;
  contracts: { vault: string };
}

const vaultInterface = ISponsorVault__factory.createInterface();
const tokenInterface = IRewardToken__factory.createInterface();
/** Public nodes cap a getLogs range (often at 10,000 blocks or fewer): ask in windows of this many. */
const LOG_WINDOW = 5_000;

async function getLogs(provider: Provider, filter: { address: string | string[]; topics: string[][] | string[] }, fromBlock: number, toBlock: number) {
  const logs: Log[] = [];
  for (let start = fromBlock; start <= toBlock; start += LOG_WINDOW) {
    logs.push(...(await provider.getLogs({ ...filter, fromBlock: start, toBlock: Math.min(start + LOG_WINDOW - 1, toBlock) })));
  }
  return logs;
}

const ref = (log: Log): LogRef => ({ txHash: log.transactionHash, blockNumber: log.blockNumber, logIndex: log.index });

/**
 * The sponsor's report input over [fromBlock, toBlock]: every Deposited, Redeemed, DepositDrawn and withdrawal log of
 * the vault since the deployment (the core keeps the sponsor's), and the vault's solvency view at toBlock for
 * each program the sponsor funded. Collections are left empty: the chain cannot tell which credits were
 * drop-offs; the API's list of them is checked against its transactions' receipts instead.
 */
export async function readFundFlowInput(
  provider: Provider,
  deployment: VaultDeployment,
  sponsor: string,
  fromBlock: number,
  toBlock: number,
): Promise<FundFlowInput> {
  const names = ["Deposited", "Redeemed", "DepositDrawn", "WithdrawalAnnounced", "WithdrawalCancelled", "Withdrawn"] as const;
  const topics = [names.map((name) => vaultInterface.getEvent(name).topicHash)];
  // Draws on a deposit happen after it, so logs before the deployment's start block are never needed.
  const logs = await getLogs(provider, { address: deployment.contracts.vault, topics }, deployment.startBlock, toBlock);
  const input: FundFlowInput = {
    sponsor: getAddress(sponsor),
    fromBlock,
    toBlock,
    deposited: [],
    redeemed: [],
    drawn: [],
    withdrawals: [],
    credited: [],
    collections: [],
    solvency: [],
  };
  for (const log of logs) {
    const parsed = vaultInterface.parseLog(log);
    if (parsed?.name === "Deposited") {
      const [depositId, program, from, amount] = parsed.args as unknown as [bigint, string, string, bigint];
      input.deposited.push({ ...ref(log), depositId, program, sponsor: from, amount });
    } else if (parsed?.name === "Redeemed") {
      const [redemptionId, program, retailer, tokens, gross, fee] = parsed.args as unknown as [bigint, string, string, bigint, bigint, bigint];
      input.redeemed.push({ ...ref(log), redemptionId, program, retailer, tokens, gross, fee });
    } else if (parsed?.name === "DepositDrawn") {
      const [redemptionId, depositId, owner, amount] = parsed.args as unknown as [bigint, bigint, string, bigint];
      input.drawn.push({ ...ref(log), redemptionId, depositId, sponsor: owner, amount });
    } else if (parsed?.name === "WithdrawalAnnounced") {
      const [depositId, , , withdrawableAt] = parsed.args as unknown as [bigint, string, string, bigint];
      input.withdrawals.push({ ...ref(log), depositId, kind: "announced", withdrawableAt });
    } else if (parsed?.name === "WithdrawalCancelled") {
      const [depositId] = parsed.args as unknown as [bigint];
      input.withdrawals.push({ ...ref(log), depositId, kind: "cancelled" });
    } else if (parsed?.name === "Withdrawn") {
      const [depositId, , , amount] = parsed.args as unknown as [bigint, string, string, bigint];
      input.withdrawals.push({ ...ref(log), depositId, kind: "withdrawn", amount });
    }
  }
  const vault = ISponsorVault__factory.connect(deployment.contracts.vault, provider);
  const funded = input.deposited.filter(
    (d) => d.sponsor === input.sponsor && d.blockNumber >= fromBlock && d.blockNumber <= toBlock,
  );
  for (const program of new Set(funded.map((d) => d.program))) {
    const [outstandingValue, depositsLeft] = await vault.solvency(program, { blockTag: toBlock });
    input.solvency.push({ program, outstandingValue, depositsLeft });
  }
  return input;
}

/**
 * The unix time of each of these blocks, as the node states it. With `cache`, a block's time is asked once:
 * the API reads blocks up to its indexed checkpoint, behind the confirmations, whose times do not change.
 */
export async function readBlockTimes(provider: Provider, blocks: number[], cache?: TtlCache<number, number>): Promise<Map<number, number>> {
  const times = new Map<number, number>();
  const read = async (number: number) => (await provider.getBlock(number))?.timestamp;
  for (const number of blocks) {
    const timestamp = cache ? await cache.get(number, () => read(number)) : await read(number);
    if (timestamp !== undefined) times.set(number, timestamp);
  }
  return times;
}

/** Every Credited log of these program tokens over [fromBlock, toBlock]: all the program minted there. */
export async function readCreditedLogs(provider: Provider, programs: string[], fromBlock: number, toBlock: number): Promise<CreditedLog[]> {
  if (programs.length === 0) return [];
  const topics = [tokenInterface.getEvent("Credited").topicHash];
  const logs = await getLogs(provider, { address: programs, topics }, fromBlock, toBlock);
  return logs.map((log) => {
    const [eventId, to, amount] = tokenInterface.parseLog(log)!.args as unknown as [bigint, string, bigint];
    return { ...ref(log), program: getAddress(log.address), eventId, to, amount };
  });
}

/** The receipts of these transactions, with the Credited logs each holds (by lower-case hash); missing ones left out. */
export async function readCreditReceipts(provider: Provider, txHashes: string[]): Promise<Map<string, CreditReceipt>> {
  const receipts = new Map<string, CreditReceipt>();
  const credited = tokenInterface.getEvent("Credited").topicHash;
  for (const hash of new Set(txHashes.map((h) => h.toLowerCase()))) {
    const receipt = await provider.getTransactionReceipt(hash);
    if (!receipt || receipt.status !== 1) continue;
    const logs: CreditedLog[] = receipt.logs
      .filter((log) => log.topics[0] === credited)
      .map((log) => {
        const [eventId, to, amount] = tokenInterface.parseLog(log)!.args as unknown as [bigint, string, bigint];
        return { ...ref(log), program: getAddress(log.address), eventId, to, amount };
      });
    receipts.set(hash, { blockNumber: receipt.blockNumber, credited: logs });
  }
  return receipts;
}
