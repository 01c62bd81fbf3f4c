import { JsonRpcProvider, Network, TypedDataEncoder } from "ethers";
import { collectorAccountAddress, wrappedForCreation } from "../../../services/core/counterfactual-account.js";
import { loadNetwork } from "../network.js";
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
}

const STORE_KEY = "collector-passkey";

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
    const provider = new JsonRpcProvider(network.rpcUrl, Network.from(network.chainId), { staticNetwork: true });
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
      async signTypedData(domain, types, value) {
        const exists = accountExists(wallet.address);
        const assertion = await assertPasskey(wallet.credentialId, TypedDataEncoder.hash(domain, types, value));
        return (await exists) ? assertion : wrappedForCreation(wallet.factory, wallet, assertion);
      },
    };
    signers.set(wallet.address, signer);
  }
  return signer;
}
