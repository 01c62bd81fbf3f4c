import { isError, Signature } from "ethers";
import { RewardToken__factory, SponsorVault__factory } from "../../types/ethers-contracts/index.js";
import { type Screened, screenBatch } from "../core/batch-screen.js";
import type { Redemption } from "../db/redemptions.js";
import type { Chain } from "../chain/network.js";
import { describeRevert, revertDataOf } from "../chain/revert-reason.js";

/** The vault's errors first; a revert inside the token (its burnFrom) surfaces with the token's. */
const INTERFACES = [SponsorVault__factory.createInterface(), RewardToken__factory.createInterface()];
/** The vault paused refuses every redemption alike: no row is to blame. */
const BATCH_REFUSALS = new Set(["RC_ENFORCED_PAUSE"]);
/** Guilty redemptions found per relay at most, so the dry runs after a revert stay bounded. */
const MAX_REFUSED = 8;

/** One redemption as redeemWithPermitBatch takes it. */
export function permitRedemption(row: Redemption) {
  const { v, r, s } = Signature.from(row.signature);
  return { program: row.token, retailer: row.retailer, tokens: row.tokens, deadline: row.deadline, v, r, s };
}

class BatchRefused extends Error {}

/**
 * After a relay reverted: which of its redemptions the vault refuses now, found by dry runs of the batch
 * (eth_call from the relaying key) halved to the ones it stops at (core/batch-screen). The vault skips every
 * refusal it can check for (a spent permit, too few deposits, a paused program), so what is left is a revert
 * from outside its checks, such as a token that took the vault's burner role away. Undefined when the vault
 * refuses the batch as a whole (paused): then no redemption is to blame.
 */
export async function screenRedemptions(
  chain: Chain,
  rows: Redemption[],
): Promise<Screened<Redemption, { code: `RC_${string}`; reason: string }> | undefined> {
  const dryRun = async (batch: Redemption[]) => {
    try {
      await chain.vault.redeemWithPermitBatch.staticCall(batch.map(permitRedemption));
      return undefined;
    } catch (error) {
      if (!isError(error, "CALL_EXCEPTION")) throw error;
      const revert = describeRevert(revertDataOf(error), INTERFACES, "RC_REDEMPTION_REVERTED");
      if (BATCH_REFUSALS.has(revert.code)) throw new BatchRefused(revert.reason);
      return revert;
    }
  };
  try {
    return await screenBatch(rows, dryRun, MAX_REFUSED);
  } catch (error) {
    if (error instanceof BatchRefused) return undefined;
    throw error;
  }
}
