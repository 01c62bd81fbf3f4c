import { getAddress, TypedDataEncoder } from "ethers";
import { LOGIN_TYPES, LOGIN_WINDOW_S, loginDomain } from "../core/collector-login.js";
import { badRequest } from "../core/errors.js";
import type { Chain } from "../chain/network.js";
import { requireSignerSignature } from "./signer-signature.js";

/** A collector's sign-in as the phone sends it. */
export interface CollectorLogin {
  address: string;
  issuedAt: number;
  signature: string;
}

/**
 * The wallet a collector's signed Login proves control of: a key's, or a passkey account's (its WebAuthn
 * assertion of the Login digest; ERC-6492-wrapped while the account, already credited perhaps, is not created).
 * A login whose clock is off says the server's time, so the phone can sign again.
 */
export async function signInCollector(chain: Pick<Chain, "chainId" | "provider" | "deployment">, login: CollectorLogin, nowS: number): Promise<string> {
  if (Math.abs(nowS - login.issuedAt) > LOGIN_WINDOW_S) {
    throw badRequest("RC_LOGIN_STALE", `issuedAt must be within ${LOGIN_WINDOW_S} s of the server's clock`, { serverTime: nowS });
  }
  const wallet = getAddress(login.address.toLowerCase());
  const digest = TypedDataEncoder.hash(loginDomain(chain.chainId), LOGIN_TYPES, { wallet, issuedAt: BigInt(login.issuedAt) });
  await requireSignerSignature(chain, wallet, digest, login.signature, "this wallet's login", 401);
  return wallet;
}
