import { Signature, type TransactionReceipt, zeroPadValue } from "ethers";
import {
  findPayments,
  markPaymentFailed,
  markPaymentsIncluded,
  markPaymentPending,
  markPaymentsSubmitted,
  type Payment,
} from "../db/payments.js";
import type { Sql } from "../db/sql.js";
import { batchGasLimit } from "../chain/gas.js";
import type { Chain } from "../chain/network.js";
import { RequestBatch, type Waiting as RequestWaiting } from "./request-batch.js";

/** A relayed payment is `included`; the finality watcher confirms it once its block is deep enough. */
export type PaymentOutcome =
  | { status: "included" | "confirmed"; txHash: string; blockNumber: number }
  | { status: "failed"; reason: string; txHash: string | null; blockNumber: number | null };

/** IRewardToken.SkipReason, as the codes a payment fails with. */
const SKIP_REASONS = [
  "RC_AUTHORIZATION_NOT_YET_VALID",
  "RC_AUTHORIZATION_EXPIRED",
  "RC_AUTHORIZATION_USED",
  "RC_INVALID_SIGNATURE",
  "RC_INVALID_RECIPIENT",
  "RC_INSUFFICIENT_BALANCE",
  "RC_CLOSED_LOOP",
] as const;
const ALREADY_USED = 2;

// A payer's first payment costs ~41k gas (`npm run gas`); 45k each leaves a margin under the 2^24 cap.
const GAS_BASE = 100_000n;
const GAS_PER_PAYMENT = 45_000n;

type Waiting = RequestWaiting<PaymentOutcome>;

/**
 * Settles payments in batches through the token's relay: callers (the worker's concurrent jobs) ask for
 * one payment each; the settler sends one `transferWithAuthorizationBatch` per token when `batchMax`
 * requests are waiting or `batchMs` after the first, and answers every caller from the one receipt.
 * A payment is recorded as submitted with the transaction hash before the transaction leaves, and the
 * token uses each nonce once, so retries after a crash settle it exactly once.
 */
export class PaymentSettler {
  private readonly batches: RequestBatch<PaymentOutcome>;
  private topicHashes: { used: string; skipped: string } | undefined;

  constructor(
    private readonly sql: Sql,
    private readonly chain: Chain,
    private readonly options: { batchMax: number; batchMs: number; onBatch?(size: number, gasUsed: bigint): void },
  ) {
    this.batches = new RequestBatch({ max: options.batchMax, ms: options.batchMs }, (batch) => this.settleBatch(batch));
    chain.writer.useJournal(sql);
  }

  settle(paymentId: bigint): Promise<PaymentOutcome> {
    return this.batches.request(paymentId);
  }

  private async settleBatch(batch: Waiting[]): Promise<void> {
    const payments = new Map((await findPayments(this.sql, batch.map((w) => w.id))).map((p) => [p.id, p]));
    const toSend = new Map<string, { payment: Payment; waiting: Waiting }[]>();
    await Promise.all(
      batch.map(async (waiting) => {
        const payment = payments.get(waiting.id);
        if (!payment) return waiting.reject(new Error(`payment ${waiting.id} does not exist`));
        const settled = await this.alreadySettled(payment);
        if (settled) return waiting.resolve(settled);
        toSend.set(payment.token, [...(toSend.get(payment.token) ?? []), { payment, waiting }]);
      }),
    );
    // Each token's relay is its own affair: one that cannot go (a paused token) or fails leaves the others alone.
    await Promise.all(
      [...toSend].map(async ([token, group]) => {
        try {
          // A paused token reverts the whole relay: nothing is sent (no gas spent) and its payments wait.
          if (await this.chain.token(token).paused()) throw new Error(`the token ${token} is paused; its payments wait`);
          const outcomes = await this.relay(token, group.map((g) => g.payment));
          for (const { payment, waiting } of group) {
            const outcome = outcomes.get(payment.id);
            if (outcome) waiting.resolve(outcome);
            else waiting.reject(new Error(`payment ${payment.id} is not settled yet; it will be retried`));
          }
        } catch (error) {
          for (const { waiting } of group) waiting.reject(error);
        }
      }),
    );
  }

  /** The outcome of a payment that needs no new transaction: final already, or carried by one on its way. */
  private async alreadySettled(payment: Payment): Promise<PaymentOutcome | undefined> {
    if (payment.status === "included" || payment.status === "confirmed") {
      return { status: payment.status, txHash: payment.txHash!, blockNumber: Number(payment.blockNumber) };
    }
    if (payment.status === "failed") {
      return {
        status: "failed",
        reason: payment.failureReason!,
        txHash: payment.txHash,
        blockNumber: payment.blockNumber === null ? null : Number(payment.blockNumber),
      };
    }
    if (payment.status !== "submitted" || !payment.txHash) return undefined;
    // A previous attempt recorded a transaction: its receipt, if it has one, is the answer.
    const receipt = await this.chain.fateOf(payment.txHash);
    // Still unmined in the node's pool: sending the payment again now could race it. The retry looks again.
    if (receipt === "pending") throw new Error(`payment ${payment.id}: transaction ${payment.txHash} is not mined yet`);
    if (receipt !== "unknown") return (await this.outcomesFrom(receipt, payment.token, [payment])).get(payment.id);
    return this.fromChainState(payment);
  }

  private async relay(token: string, payments: Payment[]): Promise<Map<bigint, PaymentOutcome>> {
    const contract = this.chain.token(token);
    const authorizations = payments.map((p) => {
      const { v, r, s } = Signature.from(p.signature);
      return { from: p.payer, to: p.payee, value: p.value, validAfter: p.validAfter, validBefore: p.validBefore, nonce: p.nonce, v, r, s };
    });
    const request = await contract.transferWithAuthorizationBatch.populateTransaction(authorizations);
    const ids = payments.map((p) => p.id);
    const { hash } = await this.chain.writer.send(
      { ...request, gasLimit: batchGasLimit(GAS_BASE, GAS_PER_PAYMENT, payments.length) },
      ({ hash }) => markPaymentsSubmitted(this.sql, ids, hash),
    );
    const receipt = await this.chain.waitForReceipt(hash);
    if (!receipt) {
      const outcomes = new Map<bigint, PaymentOutcome>();
      for (const payment of payments) {
        const outcome = await this.fromChainState(payment);
        if (outcome) outcomes.set(payment.id, outcome);
      }
      return outcomes;
    }
    this.options.onBatch?.(payments.length, receipt.gasUsed);
    return this.outcomesFrom(receipt, token, payments);
  }

  /** topic0 of AuthorizationUsed and AuthorizationSkipped (the same for every RewardToken). */
  private topics(contract: ReturnType<Chain["token"]>) {
    return (this.topicHashes ??= {
      used: contract.interface.getEvent("AuthorizationUsed").topicHash,
      skipped: contract.interface.getEvent("AuthorizationSkipped").topicHash,
    });
  }

  /** Reads each payment's fate from a relay receipt; one skipped as already used is looked up on chain. */
  private async outcomesFrom(receipt: TransactionReceipt, token: string, payments: Payment[]) {
    const outcomes = new Map<bigint, PaymentOutcome>();
    const byKey = new Map(payments.map((p) => [`${p.payer.toLowerCase()}:${p.nonce.toLowerCase()}`, p]));
    const contract = this.chain.token(token);
    // One statement for all the payments the relay settled, not one round trip each (~1 ms × 250 per batch).
    const included: bigint[] = [];
    if (receipt.status === 1) {
      const { used, skipped } = this.topics(contract);
      for (const log of receipt.logs) {
        if (log.address.toLowerCase() !== token.toLowerCase()) continue;
        // Only the relay's own two events, picked by topic before any decoding: ethers' parseLog looks an
        // event up by hashing every event signature of the ABI, per log, and half the logs are Transfers.
        const topic = log.topics[0];
        if (topic !== used && topic !== skipped) continue;
        // Both events index (authorizer, nonce): the key is in the topics.
        const payment = byKey.get(`0x${log.topics[1]!.slice(26).toLowerCase()}:${log.topics[2]!.toLowerCase()}`);
        if (!payment) continue;
        if (topic === used) {
          included.push(payment.id);
          outcomes.set(payment.id, { status: "included", txHash: receipt.hash, blockNumber: receipt.blockNumber });
          continue;
        }
        const parsed = contract.interface.parseLog(log)!;
        if (Number(parsed.args.reason) === ALREADY_USED) {
          const outcome = await this.fromChainState(payment);
          if (outcome) outcomes.set(payment.id, outcome);
        } else {
          const reason = SKIP_REASONS[Number(parsed.args.reason)] ?? "RC_PAYMENT_SKIPPED";
          await markPaymentFailed(this.sql, payment.id, reason, receipt.hash, receipt.blockNumber);
          outcomes.set(payment.id, { status: "failed", reason, txHash: receipt.hash, blockNumber: receipt.blockNumber });
        }
      }
      await markPaymentsIncluded(this.sql, included, receipt.hash, { number: receipt.blockNumber, hash: receipt.blockHash });
    }
    // A reverted relay (a paused token, say) settles nothing: those payments go back for another try.
    for (const payment of payments) if (!outcomes.has(payment.id)) await markPaymentPending(this.sql, payment.id);
    return outcomes;
  }

  /**
   * No receipt to go by: the token's nonce bitmap says whether the authorization was used, and its logs say
   * by which transaction (or that the payer cancelled it). Unused means it goes back to pending.
   */
  private async fromChainState(payment: Payment): Promise<PaymentOutcome | undefined> {
    const contract = this.chain.token(payment.token);
    if (!(await contract.authorizationState(payment.payer, payment.nonce))) {
      await markPaymentPending(this.sql, payment.id);
      return undefined;
    }
    const topics = (name: "AuthorizationUsed" | "AuthorizationCanceled") => [
      contract.interface.getEvent(name).topicHash,
      zeroPadValue(payment.payer, 32),
      payment.nonce,
    ];
    const filter = { address: payment.token, fromBlock: this.chain.deployment.startBlock };
    const [used] = await this.chain.provider.getLogs({ ...filter, topics: topics("AuthorizationUsed") });
    if (used) {
      await markPaymentsIncluded(this.sql, [payment.id], used.transactionHash, { number: used.blockNumber, hash: used.blockHash });
      return { status: "included", txHash: used.transactionHash, blockNumber: used.blockNumber };
    }
    const [canceled] = await this.chain.provider.getLogs({ ...filter, topics: topics("AuthorizationCanceled") });
    await markPaymentFailed(this.sql, payment.id, "RC_AUTHORIZATION_CANCELED", canceled?.transactionHash ?? null, canceled?.blockNumber ?? null);
    return { status: "failed", reason: "RC_AUTHORIZATION_CANCELED", txHash: canceled?.transactionHash ?? null, blockNumber: canceled?.blockNumber ?? null };
  }
}
