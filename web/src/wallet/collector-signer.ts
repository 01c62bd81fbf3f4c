import type { PasskeyWallet } from "./passkey-wallet.js";
import { type HDNodeWallet, Signature, type TypedDataDomain, type TypedDataField } from "ethers";

/**
 * What the collector's screens need of a wallet: its address and an EIP-712 signature. A phrase wallet signs with
 * its key (65 bytes); a passkey wallet with the phone's screen lock (a WebAuthn assertion its account checks).
 */
export interface CollectorSigner {
  readonly kind: "phrase" | "passkey";
  readonly address: string;
  /** A passkey wallet's own record: what adding another signer needs. */
  readonly passkey?: PasskeyWallet;
  signTypedData(domain: TypedDataDomain, types: Record<string, TypedDataField[]>, value: Record<string, unknown>): Promise<string>;
}

const phraseSigners = new WeakMap<HDNodeWallet, CollectorSigner>();

/** The phrase wallet, as it always signed: r ‖ s ‖ v. One signer per wallet, so screens see the same object. */
export function phraseSigner(wallet: HDNodeWallet): CollectorSigner {
  let signer = phraseSigners.get(wallet);
  if (!signer) {
    signer = {
      kind: "phrase",
      address: wallet.address,
      signTypedData: async (domain, types, value) => Signature.from(await wallet.signTypedData(domain, types, value)).serialized,
    };
    phraseSigners.set(wallet, signer);
  }
  return signer;
}
