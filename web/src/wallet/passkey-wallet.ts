import { Contract, type HDNodeWallet, TypedDataEncoder } from "ethers";
import type { PasskeyKey } from "../../../services/core/account-signature.js";
import {
  addedKeySignature, addedPasskeySignature, keySigner, passkeySigner as passkeySignerBytes, type SignerChange, signerChangeDigest,
} from "../../../services/core/account-signers.js";
import { collectorAccountAddress, wrappedForCreation } from "../../../services/core/counterfactual-account.js";
import { api } from "../api.js";
import { chainNode, chainNow, loadNetwork } from "../network.js";
import type { CollectorSigner } from "./collector-signer.js";
import { idbGet, idbPut } from "./idb.js";
import { assertPasskey, createPasskey } from "./webauthn.js";

/**
 * What IndexedDB keeps of a passkey wallet: nothing secret. The private key stays in the phone's authenticator;
 * the public key and the factory give the account's address, the credential's id picks the passkey to ask.
 */
export interface PasskeyWallet {
  credentialId: Uint8Array;
  qx: string;
  qy: string;
  factory: string;
  address: string;
  /** This passkey was added to another phone's account (`address`): it signs in the tagged form that names it. */
  added?: boolean;
}

/** A passkey made on this phone to join another phone's wallet, waiting to be added there. */
export type JoiningPasskey = Omit<PasskeyWallet, "address" | "added">;

const STORE_KEY = "collector-passkey";
const JOINING_KEY = "collector-passkey-joining";

export const storedPasskeyWallet = () => idbGet<PasskeyWallet>(STORE_KEY);

/** A new passkey on this phone, and the address its account will have (it exists on chain at its first payment). */
export async function createPasskeyWallet(userName: string): Promise<PasskeyWallet> {
  const network = await loadNetwork(true);
  const factory = network.contracts.collectorAccounts;
  if (!factory) throw new Error("this network has no passkey wallets");
  const { credentialId, key } = await createPasskey(userName);
  const wallet: PasskeyWallet = { credentialId, ...key, factory, address: collectorAccountAddress(factory, key) };
  await idbPut(STORE_KEY, wallet);
  return wallet;
}

export const joiningPasskey = () => idbGet<JoiningPasskey>(JOINING_KEY);

/** A passkey for this phone that another phone's wallet will add as a signer: only its public key is shown there. */
export async function createJoiningPasskey(userName: string): Promise<JoiningPasskey> {
  const network = await loadNetwork(true);
  const factory = network.contracts.collectorAccounts;
  if (!factory) throw new Error("this network has no passkey wallets");
  const { credentialId, key } = await createPasskey(userName);
  const joining: JoiningPasskey = { credentialId, ...key, factory };
  await idbPut(JOINING_KEY, joining);
  return joining;
}

/** The key another phone adds: qx ‖ qy, as text to read or scan. */
export const signerKeyOf = (key: { qx: string; qy: string }) => passkeySignerBytes(key);

/** The wallet the joining passkey was added to, once the other phone has added it (found by the key's SignerAdded log). */
export async function joinedWallet(joining: JoiningPasskey): Promise<PasskeyWallet | undefined> {
  const { accounts } = await api.accountsOfSigner(signerKeyOf(joining));
  const [address] = accounts;
  if (!address) return undefined;
  const wallet: PasskeyWallet = { ...joining, address, added: true };
  await idbPut(STORE_KEY, wallet);
  return wallet;
}

/** How long a signed change of signers may wait for its relay. */
const SIGNER_CHANGE_VALID_S = 900;

/**
 * The account's nonce for signer changes (0 before it exists), and the deadline to sign: counted from the chain's
 * own clock where it is ahead of the phone's (the account compares it with the block's time, and a cheap phone's
 * clock may be behind).
 */
async function changeTerms(address: string): Promise<{ nonce: bigint; deadline: bigint }> {
  const network = await loadNetwork();
  const provider = chainNode(network);
  const [code, now] = await Promise.all([provider.getCode(address), chainNow(network)]);
  const deadline = BigInt(now + SIGNER_CHANGE_VALID_S);
  if (code === "0x") return { nonce: 0n, deadline };
  const account = new Contract(address, ["function signerNonce() view returns (uint256)"], provider);
  return { nonce: (await account.getFunction("signerNonce")()) as bigint, deadline };
}

/**
 * Adds `signer` (another phone's passkey, or a recovery phrase's address) to the account at `address`: `sign` signs
 * the account's AddSigner digest, the API relays it. `firstPasskey` is named while the account may not exist yet, so
 * the relay creates it first.
 */
async function relayAddSigner(address: string, signer: string, sign: (digest: string) => Promise<string>, firstPasskey?: PasskeyKey) {
  const network = await loadNetwork();
  const change: SignerChange = { kind: "add", signer, ...(await changeTerms(address)) };
  const signature = await sign(signerChangeDigest(BigInt(network.chainId), address, change));
  await api.changeAccountSigner({
    account: address,
    change: "add",
    signer,
    nonce: Number(change.nonce),
    deadline: Number(change.deadline),
    signature,
    ...(firstPasskey ? { passkey: { qx: firstPasskey.qx, qy: firstPasskey.qy } } : {}),
  });
}

/** Adds `signer` to this wallet's account, signed with this phone's screen lock. */
export async function addAccountSigner(wallet: PasskeyWallet, signer: string): Promise<void> {
  const sign = async (digest: string) => {
    const assertion = await assertPasskey(wallet.credentialId, digest);
    return wallet.added ? addedPasskeySignature(wallet, assertion) : assertion;
  };
  await relayAddSigner(wallet.address, signer, sign, wallet.added ? undefined : wallet);
}

/** The recovery phrase is not a wallet's: no account has it as a signer. */
export class NoWalletForPhrase extends Error {}

/**
 * A passkey wallet brought back on this phone with its recovery phrase: the phrase's key finds the account (its
 * SignerAdded log) and signs the addition of a new passkey made here. The words are used once, in this page, and
 * not kept.
 */
export async function recoverWithPhrase(recovery: HDNodeWallet, userName: string): Promise<PasskeyWallet> {
  const { accounts } = await api.accountsOfSigner(keySigner(recovery.address));
  const [address] = accounts;
  if (!address) throw new NoWalletForPhrase();
  const network = await loadNetwork(true);
  const factory = network.contracts.collectorAccounts;
  if (!factory) throw new Error("this network has no passkey wallets");
  const { credentialId, key } = await createPasskey(userName);
  const sign = async (digest: string) => addedKeySignature(recovery.address, recovery.signingKey.sign(digest).serialized);
  await relayAddSigner(address, signerKeyOf(key), sign);
  const wallet: PasskeyWallet = { credentialId, ...key, factory, address, added: true };
  await idbPut(STORE_KEY, wallet);
  return wallet;
}

/** Accounts seen with code: created once, they stay (a clone has no self-destruct). */
const created = new Set<string>();

/**
 * Whether the account exists on chain, read from the chain's node. When the node cannot say, no: a wrapped
 * signature is taken from an existing account too (the wrapper's creation is then skipped), only longer.
 */
async function accountExists(address: string): Promise<boolean> {
  if (created.has(address)) return true;
  try {
    const network = await loadNetwork();
    const provider = chainNode(network);
    if ((await provider.getCode(address)) === "0x") return false;
    created.add(address);
    return true;
  } catch {
    return false;
  }
}

const signers = new Map<string, CollectorSigner>();

/**
 * The passkey wallet as a signer: each signature is an assertion of the EIP-712 digest with the screen lock,
 * wrapped as ERC-6492 (with the call that creates the account) while the account does not exist yet.
 */
export function passkeySigner(wallet: PasskeyWallet): CollectorSigner {
  let signer = signers.get(wallet.address);
  if (!signer) {
    signer = {
      kind: "passkey",
      address: wallet.address,
      passkey: wallet,
      async signTypedData(domain, types, value) {
        const digest = TypedDataEncoder.hash(domain, types, value);
        // An added passkey's account exists (adding created it); its signature names the key.
        if (wallet.added) return addedPasskeySignature(wallet, await assertPasskey(wallet.credentialId, digest));
        const exists = accountExists(wallet.address);
        const assertion = await assertPasskey(wallet.credentialId, digest);
        return (await exists) ? assertion : wrappedForCreation(wallet.factory, wallet, assertion);
      },
    };
    signers.set(wallet.address, signer);
  }
  return signer;
}
