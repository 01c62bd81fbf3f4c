/**
 * A phone collector claims their escrowed credits to a wallet with the one-time code a point read out
 * (issue 5). The claim is code + address, with no wallet signature: the code is the secret (see
 * routes/collectors/phone.ts for why a signature would add nothing).
 */
import { holderAddress } from "../core/addresses.js";
import { badRequest } from "../core/errors.js";
import { claimCodeMatches, phoneKey } from "../core/phone.js";
import { claimEscrow } from "../db/phone-collectors.js";
import type { Sql } from "../db/sql.js";
import type { Minter } from "./accept-event.js";

/** What a claim needs; `phoneSalt` throws (503) where phones are not configured. */
export interface ClaimDeps {
  sql: Sql;
  minter: Minter;
  phoneSalt(): string;
}

export interface EscrowClaim {
  phone: string;
  code: string;
  address: string;
}

/** The one answer to every claim that fails. */
export const claimRefused = () =>
  badRequest("RC_CLAIM_CODE_INVALID", "this code is not valid for this phone number; codes expire after 15 minutes and five wrong tries: ask the collection point for a new one");

/** Claims the phone's escrow to `address`: its escrowed credits are queued to mint there, later drop-offs go there. */
export async function claimPhoneEscrow(deps: ClaimDeps, claim: EscrowClaim): Promise<{ address: string; released: number }> {
  const salt = deps.phoneSalt();
  const key = phoneKey(salt, claim.phone);
  const wallet = holderAddress(claim.address);
  const result = await claimEscrow(deps.sql, {
    phoneKey: key,
    wallet,
    matches: (hash) => claimCodeMatches(salt, key, claim.code, hash),
  });
  switch (result.outcome) {
    case "claimed": {
      const released = result.released.filter((event) => event.status === "pending").length;
      if (released > 0) deps.minter.notify();
      return { address: wallet, released };
    }
    // Every failure answers alike: which numbers are registered, have a code or were claimed is nobody's business.
    case "no-code":
    case "wrong":
    case "expired":
    case "locked":
    case "already-claimed":
      throw claimRefused();
  }
}
