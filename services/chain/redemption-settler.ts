import { getAddress, Signature, type TransactionReceipt } from "ethers";
import { RewardToken__factory, SponsorVault__factory } from "../../types/ethers-contracts/index.js";
import {
  claimedVaultRedemptions,
  findRedemption,
  markRedemptionConfirmed,
  markRedemptionFailed,
  markRedemptionPending,
  markRedemptionSubmitted,
  type Redemption,
  type VaultRedemption,
} from "../db/redemptions.js";
import type { Sql } from "../db/sql.js";
import type { Chain } from "./network.js";
import { revertDataOf, revertReason } from "./revert-reason.js";

export type RedemptionOutcome =
  | ({ status: "confirmed" } & VaultRedemption)
  | { status: "failed"; reason: string; txHash: string | null; blockNumber: number | null };

/** The vault's errors first; a revert inside the token (burnFrom's allowance, say) surfaces with the token's. */
const INTERFACES = [SponsorVault__factory.createInterface(), RewardToken__factory.createInterface()];
const REVERTED = "RC_REDEMPTION_REVERTED";
/** A permit this close to its deadline would expire on the way to a block: not worth the gas. */
const DEADLINE_MARGIN_S = 2n;

const sameAddress = (a: unknown, b: string) => String(a).toLowerCase() === b.toLowerCase();

/**
 * Redeems one stored redemption with one `redeemWithPermit` transaction. The transaction hash is recorded
 * before broadcast and the retailer's permit nonce is spent at most once on chain, so a retry after a crash
 * settles from the recorded transaction or the chain's state and never pays twice.
 */
export class RedemptionSettler {
  constructor(
    private readonly sql: Sql,
    private readonly chain: Chain,
  ) {}

  /** The redemption's outcome; undefined when there is no such redemption. Throws when it must be retried. */
  async settle(id: bigint): Promise<RedemptionOutcome | undefined> {
    const row = await findRedemption(this.sql, id);
    if (!row) return undefined;
    if (row.status === "confirmed" || row.status === "failed") return stored(row);
    if (row.status === "submitted" && row.txHash) {
      const recovered = await this.recover(row, row.txHash);
      if (recovered) return recovered;
    }
    const outcome = await this.send(row);
    if (!outcome) throw new Error(`redemption ${id} is not settled yet; it will be retried`);
    return outcome;
  }

  /** A previous attempt recorded `hash`: its receipt is the answer, or, if the node never saw it, the chain's state. */
  private async recover(row: Redemption, hash: string): Promise<RedemptionOutcome | undefined> {
    const provider = this.chain.provider;
    let receipt = await provider.getTransactionReceipt(hash);
    if (!receipt && (await provider.getTransaction(hash))) {
      receipt = await this.chain.waitForReceipt(hash);
      // Known to the node but still unmined: it stays submitted and the retry looks again.
      if (!receipt) throw new Error(`redemption ${row.id}: transaction ${hash} is not mined yet`);
    }
    return receipt ? this.fromReceipt(row, receipt) : this.fromChainState(row);
  }

  private async send(row: Redemption): Promise<RedemptionOutcome | undefined> {
    if (row.deadline <= BigInt(Math.floor(Date.now() / 1000)) + DEADLINE_MARGIN_S) {
      return this.failUnlessRedeemed(row, "RC_PERMIT_EXPIRED", null, null);
    }
    const { v, r, s } = Signature.from(row.signature);
    const call = this.chain.vault.redeemWithPermit;
    const args = [row.token, row.retailer, row.tokens, row.deadline, v, r, s] as const;
    let gas: bigint;
    try {
      gas = await call.estimateGas(...args);
    } catch (error) {
      // The dry run reverted, so would the transaction: same verdict, no gas spent. No data: a network error.
      const data = revertDataOf(error);
      if (!data) throw error;
      return this.failUnlessRedeemed(row, revertReason(data, INTERFACES, REVERTED), null, null);
    }
    // A redemption of the same program mined first may move the FIFO head: this one may cross a deposit more.
    const request = { ...(await call.populateTransaction(...args)), gasLimit: gas + gas / 5n + 50_000n };
    let recorded: string | undefined;
    let hash: string;
    try {
      ({ hash } = await this.chain.writer.send(request, async (sent) => {
        await markRedemptionSubmitted(this.sql, row.id, sent.hash);
        recorded = sent.hash;
      }));
    } catch (error) {
      if (!recorded) throw error;
      // Hardhat's automine mines a reverting transaction and then refuses it at broadcast, with the revert data.
      const receipt = await this.chain.provider.getTransactionReceipt(recorded);
      if (receipt) return this.fromReceipt(row, receipt, revertDataOf(error));
      throw error; // Recorded as submitted: the retry asks the node whether it ever took it.
    }
    const receipt = await this.chain.waitForReceipt(hash);
    if (!receipt) throw new Error(`redemption ${row.id}: transaction ${hash} is not mined yet`);
    return this.fromReceipt(row, receipt);
  }

  private async fromReceipt(row: Redemption, receipt: TransactionReceipt, revertData?: string) {
    if (receipt.status !== 1) {
      const reason = revertReason(revertData ?? (await this.replay(receipt)), INTERFACES, REVERTED);
      return this.failUnlessRedeemed(row, reason, receipt.hash, receipt.blockNumber);
    }
    const redeemed = this.redeemedIn(receipt, row);
    return redeemed ? this.confirm(row, redeemed) : this.fromChainState(row);
  }

  /** The Redeemed log of this retailer, program and amount in `receipt`, with the deposits it drew. */
  private redeemedIn(receipt: TransactionReceipt, row: Redemption, redemptionId?: bigint): VaultRedemption | undefined {
    const vault = this.chain.vault.interface;
    const events = receipt.logs
      .filter((log) => sameAddress(log.address, this.chain.deployment.contracts.vault))
      .flatMap((log) => vault.parseLog(log) ?? []);
    const redeemed = events.find(
      (e) =>
        e.name === "Redeemed" &&
        sameAddress(e.args.program, row.token) &&
        sameAddress(e.args.retailer, row.retailer) &&
        e.args.tokens === row.tokens &&
        (redemptionId === undefined || e.args.redemptionId === redemptionId),
    );
    if (!redeemed) return undefined;
    const id = redeemed.args.redemptionId as bigint;
    return {
      txHash: receipt.hash,
      blockNumber: receipt.blockNumber,
      vaultRedemptionId: id,
      gross: redeemed.args.gross as bigint,
      fee: redeemed.args.fee as bigint,
      draws: events
        .filter((e) => e.name === "DepositDrawn" && e.args.redemptionId === id)
        .map((e) => ({ depositId: e.args.depositId as bigint, sponsor: getAddress(e.args.sponsor as string), amount: e.args.amount as bigint })),
    };
  }

  /**
   * No receipt to go by. An unspent permit means nothing happened: back to pending for another try. A spent
   * one was used by a Redeemed of this retailer and amount (ours, or a relay of the same signature) or not at all.
   */
  private async fromChainState(row: Redemption): Promise<RedemptionOutcome | undefined> {
    if (!(await this.permitSpent(row))) {
      await markRedemptionPending(this.sql, row.id);
      return undefined;
    }
    return this.redeemedSinceAccepted(row);
  }

  private async redeemedSinceAccepted(row: Redemption): Promise<RedemptionOutcome> {
    const vault = this.chain.vault;
    const logs = await vault.queryFilter(vault.filters.Redeemed(undefined, row.token, row.retailer), Number(row.acceptedBlock));
    const candidates = logs.filter((log) => log.args.tokens === row.tokens);
    const claimed = await claimedVaultRedemptions(this.sql, candidates.map((log) => log.args.redemptionId));
    const mine = candidates.find((log) => !claimed.has(log.args.redemptionId));
    const receipt = mine ? await this.chain.provider.getTransactionReceipt(mine.transactionHash) : null;
    const redeemed = receipt && this.redeemedIn(receipt, row, mine!.args.redemptionId);
    if (redeemed) return this.confirm(row, redeemed);
    return this.fail(row, "RC_PERMIT_USED", null, null);
  }

  /** A revert is the answer unless the permit was spent anyway: then some transaction may have redeemed it. */
  private async failUnlessRedeemed(row: Redemption, reason: string, txHash: string | null, blockNumber: number | null) {
    if (await this.permitSpent(row)) return this.redeemedSinceAccepted(row);
    return this.fail(row, reason, txHash, blockNumber);
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
    await markRedemptionConfirmed(this.sql, row.id, redeemed);
    return { status: "confirmed", ...redeemed };
  }

  private async fail(row: Redemption, reason: string, txHash: string | null, blockNumber: number | null): Promise<RedemptionOutcome> {
    await markRedemptionFailed(this.sql, row.id, reason, txHash, blockNumber);
    return { status: "failed", reason, txHash, blockNumber };
  }
}

function stored(row: Redemption): RedemptionOutcome {
  const blockNumber = row.blockNumber === null ? null : Number(row.blockNumber);
  if (row.status === "failed") return { status: "failed", reason: row.failureReason!, txHash: row.txHash, blockNumber };
  return {
    status: "confirmed",
    txHash: row.txHash!,
    blockNumber: blockNumber!,
    vaultRedemptionId: row.vaultRedemptionId!,
    gross: row.gross!,
    fee: row.fee!,
    draws: row.draws,
  };
}
