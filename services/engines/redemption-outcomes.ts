import { getAddress, type LogDescription, type TransactionReceipt } from "ethers";
import { RewardToken__factory, SponsorVault__factory } from "../../types/ethers-contracts/index.js";
import {
  claimedVaultRedemptions,
  markRedemptionIncluded,
  markRedemptionsIncluded,
  markRedemptionFailed,
  markRedemptionPending,
  type Redemption,
  type VaultRedemption,
} from "../db/redemptions.js";
import type { Sql } from "../db/sql.js";
import type { Chain } from "../chain/network.js";
import { revertDataOf, revertReason } from "../chain/revert-reason.js";
import { logsSince } from "../chain/logs-in-ranges.js";

export type RedemptionOutcome =
  | ({ status: "included" | "confirmed" } & VaultRedemption)
  | { status: "failed"; reason: string; txHash: string | null; blockNumber: number | null };

/** The vault's errors first; a revert inside the token (burnFrom's allowance, say) surfaces with the token's. */
const INTERFACES = [SponsorVault__factory.createInterface(), RewardToken__factory.createInterface()];
const REVERTED = "RC_REDEMPTION_REVERTED";
/**
 * ISponsorVault.RedemptionSkipReason, as the codes a redemption fails with: the codes the same redemption
 * relayed alone would revert with (the vault's error, or the token's for a balance or a pause).
 */
export const REDEMPTION_SKIP_REASONS = [
  "RC_VAULT_UNKNOWN_PROGRAM",
  "RC_ENFORCED_PAUSE",
  "RC_VAULT_NOT_ACCEPTOR",
  "RC_VAULT_REDEMPTION_TOO_SMALL",
  "RC_ERC20_INSUFFICIENT_BALANCE",
  "RC_VAULT_INSUFFICIENT_DEPOSITS",
  "RC_PERMIT_EXPIRED",
  "RC_VAULT_INVALID_PERMIT",
  "RC_PERMIT_USED",
] as const;

const sameAddress = (a: unknown, b: string) => String(a).toLowerCase() === b.toLowerCase();
const matches = (e: LogDescription, row: Redemption) =>
  sameAddress(e.args.program, row.token) && sameAddress(e.args.retailer, row.retailer) && e.args.tokens === row.tokens;

/**
 * Reads redemptions' fates from the chain and writes them: from the receipt of the transaction that carried
 * them (one redeemWithPermit, or a redeemWithPermitBatch), or, without one, from the retailer's permit nonce
 * and the vault's Redeemed logs. Every path ends in a final row or a row back to pending (no outcome).
 */
export class RedemptionOutcomes {
  constructor(
    private readonly sql: Sql,
    private readonly chain: Chain,
  ) {}

  /**
   * Each row's outcome from `receipt`; rows without one went back to pending. A reverted transaction fails
   * its rows with the reason (`revertData`, or the call replayed on its block) unless the replay passes
   * (out of gas): then nothing happened and they are sent again.
   */
  async fromReceipt(rows: Redemption[], receipt: TransactionReceipt, revertData?: string) {
    const outcomes = new Map<bigint, RedemptionOutcome>();
    const put = (row: Redemption, outcome: RedemptionOutcome | undefined) => outcome && outcomes.set(row.id, outcome);
    if (receipt.status !== 1) {
      const data = revertData ?? (await this.replay(receipt));
      for (const row of rows) {
        put(row, data ? await this.failUnlessRedeemed(row, revertReason(data, INTERFACES, REVERTED), receipt) : await this.fromChainState(row));
      }
      return outcomes;
    }
    const events = this.vaultEvents(receipt);
    const taken = new Set<bigint>();
    // Matched in order first (a Redeemed log goes to one row only), then written: the paid ones in one
    // statement, the others (rare, each may read the chain) in parallel.
    const fates = rows.map((row) => {
      const redeemed = events.find((e) => e.name === "Redeemed" && matches(e, row) && !taken.has(e.args.redemptionId as bigint));
      if (redeemed) taken.add(redeemed.args.redemptionId as bigint);
      return { row, redeemed, skipped: redeemed ? undefined : events.find((e) => e.name === "RedemptionSkipped" && matches(e, row)) };
    });
    const paid = fates.flatMap(({ row, redeemed }) => (redeemed ? [{ id: row.id, outcome: this.vaultRedemption(receipt, events, redeemed) }] : []));
    await markRedemptionsIncluded(this.sql, paid);
    for (const { id, outcome } of paid) outcomes.set(id, { status: "included", ...outcome });
    await Promise.all(
      fates.map(async ({ row, redeemed, skipped }) => {
        if (redeemed) return;
        if (skipped) {
          const reason = REDEMPTION_SKIP_REASONS[Number(skipped.args.reason)] ?? "RC_REDEMPTION_SKIPPED";
          return put(row, await this.failUnlessRedeemed(row, reason, receipt));
        }
        // Mined, but not carrying this row: the recorded hash is not the transaction that moved it.
        put(row, await this.fromChainState(row));
      }),
    );
    return outcomes;
  }

  /**
   * No receipt to go by. An unspent permit means nothing happened: back to pending for another try. A spent
   * one was used by a Redeemed of this retailer and amount (ours, or a relay of the same signature) or not at all.
   */
  async fromChainState(row: Redemption): Promise<RedemptionOutcome | undefined> {
    if (!(await this.permitSpent(row))) {
      await markRedemptionPending(this.sql, row.id);
      return undefined;
    }
    return this.redeemedSinceAccepted(row);
  }

  /**
   * A refusal is the answer unless the permit was spent anyway: then some transaction may have redeemed it
   * (another relay of the same permit, which a skip for the balance it burned would hide).
   */
  async failUnlessRedeemed(row: Redemption, reason: string, refusedBy: TransactionReceipt | null) {
    if (await this.permitSpent(row)) return this.redeemedSinceAccepted(row);
    return this.fail(row, reason, refusedBy);
  }

  private async redeemedSinceAccepted(row: Redemption): Promise<RedemptionOutcome> {
    const vault = this.chain.vault;
    const filter = vault.filters.Redeemed(undefined, row.token, row.retailer);
    const logs = await logsSince(this.chain, Number(row.acceptedBlock), (from, to) => vault.queryFilter(filter, from, to));
    const candidates = logs.filter((log) => log.args.tokens === row.tokens);
    const claimed = await claimedVaultRedemptions(this.sql, candidates.map((log) => log.args.redemptionId));
    const mine = candidates.find((log) => !claimed.has(log.args.redemptionId));
    const receipt = mine ? await this.chain.provider.getTransactionReceipt(mine.transactionHash) : null;
    if (receipt) {
      const events = this.vaultEvents(receipt);
      const redeemed = events.find((e) => e.name === "Redeemed" && e.args.redemptionId === mine!.args.redemptionId);
      if (redeemed) return this.confirm(row, this.vaultRedemption(receipt, events, redeemed));
    }
    return this.fail(row, "RC_PERMIT_USED", null);
  }

  /** The vault's decoded logs in `receipt` (the token's and the stablecoin's left out). */
  private vaultEvents(receipt: TransactionReceipt): LogDescription[] {
    const vault = this.chain.vault.interface;
    return receipt.logs
      .filter((log) => sameAddress(log.address, this.chain.deployment.contracts.vault))
      .flatMap((log) => vault.parseLog(log) ?? []);
  }

  /** A Redeemed log with the DepositDrawn logs of its redemption id. */
  private vaultRedemption(receipt: TransactionReceipt, events: LogDescription[], redeemed: LogDescription): VaultRedemption {
    const id = redeemed.args.redemptionId as bigint;
    return {
      txHash: receipt.hash,
      blockNumber: receipt.blockNumber,
      blockHash: receipt.blockHash,
      vaultRedemptionId: id,
      gross: redeemed.args.gross as bigint,
      fee: redeemed.args.fee as bigint,
      draws: events
        .filter((e) => e.name === "DepositDrawn" && e.args.redemptionId === id)
        .map((e) => ({ depositId: e.args.depositId as bigint, sponsor: getAddress(e.args.sponsor as string), amount: e.args.amount as bigint })),
    };
  }

  /** Receipts carry no revert data: the call again, on the state its block left, tells why. */
  private async replay(receipt: TransactionReceipt): Promise<string | undefined> {
    const tx = await this.chain.provider.getTransaction(receipt.hash);
    if (!tx) return undefined;
    try {
      await this.chain.provider.call({ from: tx.from, to: tx.to, data: tx.data, gasLimit: tx.gasLimit, blockTag: receipt.blockNumber });
      return undefined;
    } catch (error) {
      return revertDataOf(error);
    }
  }

  private async permitSpent(row: Redemption): Promise<boolean> {
    return (await this.chain.token(row.token).nonces(row.retailer)) > row.permitNonce;
  }

  private async confirm(row: Redemption, redeemed: VaultRedemption): Promise<RedemptionOutcome> {
    await markRedemptionIncluded(this.sql, row.id, redeemed);
    return { status: "included", ...redeemed };
  }

  /** `refusedBy`: the receipt that refused it, whose block the finality watcher follows; null when none did. */
  private async fail(row: Redemption, reason: string, refusedBy: TransactionReceipt | null): Promise<RedemptionOutcome> {
    const block = refusedBy && { number: refusedBy.blockNumber, hash: refusedBy.blockHash };
    await markRedemptionFailed(this.sql, row.id, reason, refusedBy?.hash ?? null, block);
    return { status: "failed", reason, txHash: refusedBy?.hash ?? null, blockNumber: refusedBy?.blockNumber ?? null };
  }
}

/** The outcome a final row already holds. */
export function storedOutcome(row: Redemption): RedemptionOutcome {
  const blockNumber = row.blockNumber === null ? null : Number(row.blockNumber);
  if (row.status === "failed") return { status: "failed", reason: row.failureReason!, txHash: row.txHash, blockNumber };
  return {
    status: row.status === "included" ? "included" : "confirmed",
    txHash: row.txHash!,
    blockNumber: blockNumber!,
    vaultRedemptionId: row.vaultRedemptionId!,
    gross: row.gross!,
    fee: row.fee!,
    draws: row.draws,
  };
}
