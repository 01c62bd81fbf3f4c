import { type FunctionFragment, getAddress, keccak256, type Provider, toBeHex } from "ethers";
import type { PasskeyKey } from "../core/account-signature.js";
import { CollectorAccount__factory, CollectorAccountFactory__factory, RewardToken__factory } from "../../types/ethers-contracts/index.js";
import { IRewardToken__factory } from "../../types/ethers-contracts/factories/interfaces/IRewardToken__factory.js";
import { logsSince } from "./logs-in-ranges.js";

/** The passkey an existing collector account answers to; undefined when no account (no code) is there yet. */
export async function passkeyOf(provider: Provider, account: string): Promise<PasskeyKey | undefined> {
  if ((await provider.getCode(account)) === "0x") return undefined;
  const [qx, qy] = (await CollectorAccount__factory.connect(account, provider).getFunction("signer")()) as [string, string];
  return { qx, qy };
}

/** Where `factory` creates (or created) the account of `key`. */
export function accountAddressOf(provider: Provider, factory: string, key: PasskeyKey): Promise<string> {
  return CollectorAccountFactory__factory.connect(factory, provider).accountAddress(key.qx, key.qy);
}

/** type(IRewardToken).interfaceId: the XOR of its functions' selectors. Tokens of an older implementation answer false. */
const REWARD_TOKEN_INTERFACE_ID = toBeHex(
  IRewardToken__factory.createInterface()
    .fragments.filter((fragment): fragment is FunctionFragment => fragment.type === "function")
    .reduce((id, fragment) => id ^ BigInt(fragment.selector), 0n),
  4,
);
/** A token's implementation never changes (EIP-1167 clones): asked once per token. */
const contractSignersByToken = new Map<string, Promise<boolean>>();

/** Whether `token` takes contract accounts' signatures (transferWithSignedAuthorizationBatch and the bytes forms). */
export function takesContractSigners(provider: Provider, token: string): Promise<boolean> {
  const key = token.toLowerCase();
  const known = contractSignersByToken.get(key);
  if (known) return known;
  const answer = RewardToken__factory.connect(token, provider).supportsInterface(REWARD_TOKEN_INTERFACE_ID);
  // A failed read (the node away) is asked again next time, not kept.
  answer.catch(() => contractSignersByToken.delete(key));
  contractSignersByToken.set(key, answer);
  return answer;
}

/**
 * The passkey accounts `signer` (20 or 64 bytes) was added to and still signs for, from their SignerAdded logs: how
 * a second phone finds the account its passkey was added to. A log proves nothing alone (any contract may emit one),
 * so each account must be the factory's own for its first passkey and answer isSigner(signer) today.
 */
export async function accountsOfSigner(
  chain: { provider: Provider; logRange: number; deployment: { startBlock: number; contracts: { collectorAccounts?: string } } },
  signer: string,
): Promise<string[]> {
  const factory = chain.deployment.contracts.collectorAccounts;
  if (!factory) return [];
  const added = CollectorAccount__factory.createInterface().getEvent("SignerAdded").topicHash;
  const topics = [added, keccak256(signer)];
  const logs = await logsSince(chain, chain.deployment.startBlock, (fromBlock, toBlock) => chain.provider.getLogs({ topics, fromBlock, toBlock }));
  const candidates = [...new Set(logs.map((log) => getAddress(log.address)))];
  const checked = await Promise.all(
    candidates.map(async (address) => {
      const key = await passkeyOf(chain.provider, address).catch(() => undefined);
      if (!key || (await accountAddressOf(chain.provider, factory, key)) !== address) return undefined;
      return (await CollectorAccount__factory.connect(address, chain.provider).isSigner(signer)) ? address : undefined;
    }),
  );
  return checked.filter((address): address is string => address !== undefined);
}
