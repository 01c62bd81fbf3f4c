import type { HDNodeWallet, Wallet } from "ethers";
import { LOGIN_TYPES, loginDomain } from "../../services/core/collector-login.js";
import { client } from "./client.js";
import type { Stack } from "./stack.js";

/** The phone's sign-in: an EIP-712 Login signed by the wallet, posted for a session token (the raw reply). */
export async function signIn(stack: Stack, wallet: Wallet | HDNodeWallet, issuedAt = Math.floor(Date.now() / 1000)) {
  const signature = await wallet.signTypedData(loginDomain(stack.chain.chainId), LOGIN_TYPES, { wallet: wallet.address, issuedAt });
  return client(stack.app).post("/v1/auth/collector", { address: wallet.address, issuedAt, signature });
}

/** A client holding the wallet's session token. */
export async function sessionOf(stack: Stack, wallet: Wallet | HDNodeWallet) {
  const reply = await signIn(stack, wallet);
  if (reply.status !== 200) throw new Error(`sign-in failed: ${JSON.stringify(reply.body)}`);
  return client(stack.app, reply.body.token);
}
