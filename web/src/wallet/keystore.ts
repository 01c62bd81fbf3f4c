import { HDNodeWallet, Mnemonic } from "ethers";
import { idbDelete, idbGet, idbPut } from "./idb.js";

export type WalletRole = "collector" | "retailer";

/** What IndexedDB holds: the address in the clear (to show it locked), the phrase sealed under the PIN. */
interface SealedWallet {
  address: string;
  salt: Uint8Array;
  iv: Uint8Array;
  iterations: number;
  ciphertext: ArrayBuffer;
}

/**
 * PBKDF2-SHA256 at OWASP's 600,000 iterations, in WebCrypto (native: well under a second on a cheap phone).
 * A 6-digit PIN is still only 10^6 guesses for someone who copies the phone's storage: the PIN guards
 * against a borrowed, unlocked phone, the backup phrase on paper is the real secret.
 */
const ITERATIONS = 600_000;

export class WrongPin extends Error {}

async function pinKey(pin: string, salt: Uint8Array, iterations: number): Promise<CryptoKey> {
  const material = await crypto.subtle.importKey("raw", new TextEncoder().encode(pin), "PBKDF2", false, ["deriveKey"]);
  return crypto.subtle.deriveKey(
    { name: "PBKDF2", hash: "SHA-256", salt: salt as BufferSource, iterations },
    material,
    { name: "AES-GCM", length: 256 },
    false,
    ["encrypt", "decrypt"],
  );
}

/** A new wallet from 128 bits of the browser's randomness: 12 words, Ethereum's default path. */
export const createWallet = () => HDNodeWallet.fromMnemonic(Mnemonic.fromEntropy(crypto.getRandomValues(new Uint8Array(16))));

/** The wallet behind a written-down phrase; throws on a word or checksum that is wrong. */
export const walletFromPhrase = (phrase: string) => HDNodeWallet.fromPhrase(phrase.trim().toLowerCase().split(/\s+/).join(" "));

export async function sealWallet(role: WalletRole, wallet: HDNodeWallet, pin: string): Promise<void> {
  const salt = crypto.getRandomValues(new Uint8Array(16));
  const iv = crypto.getRandomValues(new Uint8Array(12));
  const key = await pinKey(pin, salt, ITERATIONS);
  const ciphertext = await crypto.subtle.encrypt({ name: "AES-GCM", iv: iv as BufferSource }, key, new TextEncoder().encode(wallet.mnemonic!.phrase));
  const sealed: SealedWallet = { address: wallet.address, salt, iv, iterations: ITERATIONS, ciphertext };
  await idbPut(role, sealed);
}

/** The stored wallet's address, without the PIN; undefined when this phone has none for the role. */
export async function storedAddress(role: WalletRole): Promise<string | undefined> {
  return (await idbGet<SealedWallet>(role))?.address;
}

/** The wallet, if the PIN opens it (AES-GCM refuses a wrong key outright: no guessing from garbage). */
export async function unsealWallet(role: WalletRole, pin: string): Promise<HDNodeWallet> {
  const sealed = await idbGet<SealedWallet>(role);
  if (!sealed) throw new Error("no wallet on this phone");
  const key = await pinKey(pin, sealed.salt, sealed.iterations);
  let phrase: string;
  try {
    phrase = new TextDecoder().decode(await crypto.subtle.decrypt({ name: "AES-GCM", iv: sealed.iv as BufferSource }, key, sealed.ciphertext));
  } catch {
    throw new WrongPin();
  }
  return walletFromPhrase(phrase);
}

export const forgetWallet = (role: WalletRole) => idbDelete(role);
