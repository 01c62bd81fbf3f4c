import { api, ApiError } from "../api.js";
import { LOGIN_TYPES, loginDomain } from "../../../services/core/collector-login.js";
import type { Session } from "../../../services/api/client/types.js";
import { loadNetwork } from "../network.js";
import type { CollectorSigner } from "../wallet/collector-signer.js";

const sessions = new Map<string, Session>();

/**
 * Signs in with the wallet (EIP-712 Login, no transaction) and keeps the 15-minute read token. A passkey wallet
 * signs with the screen lock, so a known token is worth keeping: each new one is a prompt.
 */
async function session(wallet: CollectorSigner, fresh = false): Promise<string> {
  const known = sessions.get(wallet.address);
  // A minute of margin: a token that expires mid-request is refused.
  if (!fresh && known && known.expiresAt * 1000 > Date.now() + 60_000) return known.token;
  const { chainId } = await loadNetwork();
  const issuedAt = Math.floor(Date.now() / 1000);
  const signature = await wallet.signTypedData(loginDomain(chainId), LOGIN_TYPES, { wallet: wallet.address, issuedAt });
  const opened = await api.login({ address: wallet.address, issuedAt, signature });
  sessions.set(wallet.address, opened);
  return opened.token;
}

/** A read of the collector's own data with its session token, signing in again once if the token was refused. */
export async function collectorRead<T>(wallet: CollectorSigner, read: (token: string) => Promise<T>): Promise<T> {
  try {
    return await read(await session(wallet));
  } catch (error) {
    if (!(error instanceof ApiError) || error.status !== 401) throw error;
    return read(await session(wallet, true));
  }
}

/** A new session now (a passkey wallet opens by signing in, with the screen lock): when it ends, in ms. */
export async function signIn(wallet: CollectorSigner): Promise<number> {
  await session(wallet, true);
  return sessions.get(wallet.address)!.expiresAt * 1000;
}
