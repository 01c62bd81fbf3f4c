/**
 * The collector's sign-in message: EIP-712 `Login(address wallet,uint256 issuedAt)` under the domain
 * `{name: "recircle", version: "1", chainId}`. The domain names no contract: the login proves control of a
 * wallet to this API, and nothing on chain ever verifies it. The chain id keeps a login signed for one
 * network (a test chain) from opening sessions on another.
 */
import type { TypedDataDomain } from "ethers";

/** How far issuedAt may be from the server's clock, either way: a stolen signature is useless soon after. */
export const LOGIN_WINDOW_S = 300;

export const LOGIN_TYPES = {
  Login: [
    { name: "wallet", type: "address" },
    { name: "issuedAt", type: "uint256" },
  ],
};

export const loginDomain = (chainId: bigint | number): TypedDataDomain => ({ name: "recircle", version: "1", chainId });
