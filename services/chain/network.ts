import { JsonRpcProvider, Wallet, type TransactionReceipt } from "ethers";
import {
  ProgramFactory__factory,
  RewardToken__factory,
  SponsorVault__factory,
  type ProgramFactory,
  type RewardToken,
  type SponsorVault,
} from "../../types/ethers-contracts/index.js";
import { type Config, EMBEDDED_CHAIN_URL } from "../config.js";
import { deploymentFor, type NetworkDeployment } from "./address-book.js";
import { DEFAULT_LOG_RANGE } from "../core/block-windows.js";
import { ChainWriter, DEFAULT_SEND_POLICY, type SendPolicy } from "./chain-writer.js";
import { type FailoverOptions, FailoverProvider } from "./failover-provider.js";

/** Hardhat's dev account #1, the operator of the local chain: a published key, valid on chain 31337 only. */
export const DEV_OPERATOR_KEY = "0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d";
/** Hardhat's dev accounts #2 and #3: the relaying keys of the first two workers on the local chain. */
export const DEV_WORKER_KEYS = [
  "0x5de4111afa1a4b94908f83103eb1f1706367c2e68ca870fc3fb9a804cdab365a",
  "0x7c852118294e51e653712a81e05800f419141751be58f605c371e15141b007a6",
] as const;
export const DEV_CHAIN_ID = 31337;


export interface Chain {
  /** Over every RPC URL of the config, failing over between them (a JsonRpcProvider to its users). */
  provider: FailoverProvider;
  chainId: number;
  writer: ChainWriter;
  deployment: NetworkDeployment;
  /** Blocks one eth_getLogs may span (CHAIN_LOG_RANGE): logs are looked up in windows (logs-in-ranges.ts). */
  logRange: number;
  factory: ProgramFactory;
  vault: SponsorVault;
  token(address: string): RewardToken;
  /**
   * The receipt of whichever transaction of `hash`'s family (it and its replacements) mined; null only when its
   * nonce went to another transaction, so none of them ever will. A transaction the writer follows is waited for
   * as long as it takes (it is replaced, sent again, unblocked meanwhile); any other for `timeoutMs`.
   */
  waitForReceipt(hash: string, timeoutMs?: number): Promise<TransactionReceipt | null>;
  /**
   * What became of a transaction recorded earlier, its replacements included: its receipt (waiting for it while
   * it may still mine), "pending" when a transaction the writer does not follow is still unmined a minute on,
   * "unknown" when none of them mined and none can any more, or the node never saw them.
   */
  fateOf(hash: string): Promise<TransactionReceipt | "pending" | "unknown">;
  close(): void;
}

/**
 * A provider that never serves a stale answer (ethers otherwise caches identical calls for 250 ms) nor
 * waits to fill a batch: ethers by default holds every request 10 ms for others to join it, which costs a
 * chain send (chain id, fee data, broadcast, receipt: rounds one after another) ~50 ms of pure waiting.
 * Requests made in the same tick still travel as one batch.
 */
export function createProvider(url: string): JsonRpcProvider {
  return new JsonRpcProvider(url, undefined, { cacheTimeout: -1, batchMaxCount: 50, batchStallTime: 0 });
}

/** The RPC URLs of the config, preferred first: CHAIN_RPC_URLS, CHAIN_RPC_URL, or the embedded node's. */
export const rpcUrlsOf = (config: Pick<Config, "chainRpcUrls">): string[] =>
  config.chainRpcUrls.length > 0 ? [...config.chainRpcUrls] : [EMBEDDED_CHAIN_URL];

/**
 * A provider over `urls` (the first preferred) that retries and fails over on timeouts, 429s, 5xx and closed
 * connections, never on the node's own answers (services/chain/failover-provider.ts). For the services; a
 * script probing one node wants createProvider, which fails at once.
 */
export function createFailoverProvider(urls: string | readonly string[], options: FailoverOptions = {}): FailoverProvider {
  return new FailoverProvider(typeof urls === "string" ? [urls] : urls, options);
}

/**
 * Connects to the chain at `urls` (one URL, or several to fail over between, all of one chain) with
 * `signerKey` as the process's one signer. Without a key, the dev chain lends `devKey` (the operator's by
 * default); any other chain refuses to start.
 */
export async function connectChain(
  urls: string | readonly string[],
  deployment: NetworkDeployment,
  signerKey: string | undefined,
  devKey: string = DEV_OPERATOR_KEY,
  { logRange = DEFAULT_LOG_RANGE, ...options }: FailoverOptions & { logRange?: number } = {},
  policy: SendPolicy = DEFAULT_SEND_POLICY,
): Promise<Chain> {
  const provider = createFailoverProvider(urls, { ...options, chainId: deployment.chainId });
  try {
    // Each endpoint that answers now must serve the deployment's chain; one that does not is checked at first use.
    await provider.verifyEndpoints();
  } catch (error) {
    provider.destroy();
    throw error;
  }
  const chainId = Number((await provider.getNetwork()).chainId);
  if (signerKey === undefined && chainId !== DEV_CHAIN_ID) {
    throw new Error("a signer key is required outside the development chain (OPERATOR_PRIVATE_KEY, WORKER_PRIVATE_KEY)");
  }
  const wallet = new Wallet(signerKey ?? devKey, provider);
  const writer = new ChainWriter(wallet, policy);
  const tokens = new Map<string, RewardToken>();
  return {
    provider,
    chainId,
    writer,
    deployment,
    logRange,
    factory: ProgramFactory__factory.connect(deployment.contracts.factory, wallet),
    vault: SponsorVault__factory.connect(deployment.contracts.vault, wallet),
    token(address) {
      let token = tokens.get(address);
      if (!token) tokens.set(address, (token = RewardToken__factory.connect(address, wallet)));
      return token;
    },
    waitForReceipt: (hash, timeoutMs) => writer.mined(hash, timeoutMs),
    fateOf: (hash) => writer.fateOf(hash),
    close() {
      writer.close();
      provider.destroy();
    },
  };
}

/**
 * The chain named by CHAIN_RPC_URLS or CHAIN_RPC_URL (or the embedded node) and the deployment the address
 * book records for it, signing with `signerKey` (the operator's by default; `devKey` stands in for it on the
 * dev chain), pricing and replacing its transactions as configured. `log` hears of each failover and of fees.
 */
export async function openChain(
  config: Config,
  signerKey: string | undefined = config.operatorPrivateKey,
  devKey?: string,
  log?: SendPolicy["log"],
): Promise<Chain> {
  const urls = rpcUrlsOf(config);
  const probe = createFailoverProvider(urls);
  const chainId = Number((await probe.getNetwork()).chainId);
  probe.destroy();
  const deployment = await deploymentFor(config.addressBookPath, chainId);
  return connectChain(urls, deployment, signerKey, devKey, { logRange: config.chainLogRange, ...(log ? { log } : {}) }, sendPolicy(config, log));
}

/** How the process's writer prices and replaces its transactions, as configured. */
export function sendPolicy(config: Config, log?: SendPolicy["log"]): SendPolicy {
  return {
    ...(config.maxFeePerGas !== undefined ? { maxFeePerGas: config.maxFeePerGas } : {}),
    replaceAfterMs: config.txReplaceAfterMs,
    lowBalanceTransactions: config.signerLowBalanceTxs,
    ...(log ? { log } : {}),
  };
}

