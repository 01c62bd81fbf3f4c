import { Signature, type TransactionReceipt, type TransactionRequest, zeroPadValue } from "ethers";
import {
  findPayments,
  markPaymentFailed,
  markPaymentsIncluded,
  markPaymentPending,
  markPaymentsSubmitted,
  type Payment,
} from "../db/payments.js";
import { reopenCarriedBy } from "../db/finality.js";
import type { Sql } from "../db/sql.js";
import { batchGasLimit, TRANSACTION_GAS_CAP } from "../chain/gas.js";
import { isKeySignature } from "../core/account-signature.js";
import type { Chain } from "../chain/network.js";
import { RequestBatch, type Waiting as RequestWaiting } from "./request-batch.js";
import { newestLogSince } from "../chain/logs-in-ranges.js";

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
// A passkey account's first payment creates it: ~182k gas (`npm run gas`), ~51k after. Sized for the first.
const GAS_PER_ACCOUNT_PAYMENT = 200_000n;
// The token gives an account's creation and its check 300k gas each and refuses the batch unless that much is
// left (RewardTokenSignatureCheckStarved): the last payment needs both bounds in hand, not only what it spends.
const ACCOUNT_CHECK_HEADROOM = 450_000n;
/** As many passkey payments as fit under the transaction gas cap, each creating its account. */
const SIGNED_BATCH_MAX = Number((TRANSACTION_GAS_CAP - GAS_BASE - ACCOUNT_CHECK_HEADROOM) / GAS_PER_ACCOUNT_PAYMENT);

function chunks<T>(items: T[], size: number): T[][] {
  return Array.from({ length: Math.ceil(items.length / size) }, (_, i) => items.slice(i * size, (i + 1) * size));
}

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

  /**
   * A relay a reorganisation moved to another block ran there on other state (the payer's own transfer may now
   * come first): each payment it carried takes what its receipt in that block says, paid or skipped.
   */
  async settleMoved(receipt: TransactionReceipt): Promise<void> {
    const carried = await findPayments(this.sql, await reopenCarriedBy(this.sql, "payments", receipt.hash));
    // One relay pays through one token: its rows share it.
    if (carried.length > 0) await this.outcomesFrom(receipt, carried[0]!.token, carried);
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

  /**
   * Keys' payments go in one v/r/s relay; passkey accounts' in signed relays beside it (a token of an older
   * implementation never gets those: the API refuses them), each cut to what fits under the gas cap.
   */
  private async relay(token: string, payments: Payment[]): Promise<Map<bigint, PaymentOutcome>> {
    const byKeys = payments.filter((p) => isKeySignature(p.signature));
    const byAccounts = payments.filter((p) => !isKeySignature(p.signature));
    const relays = [
      ...(byKeys.length > 0 ? [this.relayByKeys(token, byKeys)] : []),
      ...chunks(byAccounts, SIGNED_BATCH_MAX).map((chunk) => this.relayByAccounts(token, chunk)),
    ];
    const outcomes = new Map<bigint, PaymentOutcome>();
    for (const settled of await Promise.all(relays)) for (const [id, outcome] of settled) outcomes.set(id, outcome);
    return outcomes;
  }

  private async relayByKeys(token: string, payments: Payment[]): Promise<Map<bigint, PaymentOutcome>> {
    const authorizations = payments.map((p) => {
      const { v, r, s } = Signature.from(p.signature);
      return { from: p.payer, to: p.payee, value: p.value, validAfter: p.validAfter, validBefore: p.validBefore, nonce: p.nonce, v, r, s };
    });
    const request = await this.chain.token(token).transferWithAuthorizationBatch.populateTransaction(authorizations);
    return this.send(token, payments, { ...request, gasLimit: batchGasLimit(GAS_BASE, GAS_PER_PAYMENT, payments.length) });
  }

  private async relayByAccounts(token: string, payments: Payment[]): Promise<Map<bigint, PaymentOutcome>> {
    const authorizations = payments.map((p) => ({
      from: p.payer, to: p.payee, value: p.value, validAfter: p.validAfter, validBefore: p.validBefore, nonce: p.nonce, signature: p.signature,
    }));
    const request = await this.chain.token(token).transferWithSignedAuthorizationBatch.populateTransaction(authorizations);
    return this.send(token, payments, { ...request, gasLimit: batchGasLimit(GAS_BASE + ACCOUNT_CHECK_HEADROOM, GAS_PER_ACCOUNT_PAYMENT, payments.length) });
  }

  private async send(token: string, payments: Payment[], request: TransactionRequest): Promise<Map<bigint, PaymentOutcome>> {
    const ids = payments.map((p) => p.id);
    const { hash } = await this.chain.writer.send(request, ({ hash }) => markPaymentsSubmitted(this.sql, ids, hash));
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
        // The token checks the clock before the nonce: "expired" or "not yet valid" may be said of an
        // authorization another transaction used (an old relay of ours sent again, anyone holding the voucher).
        // Whoever used it settled the payment, and the chain's logs say who.
        if (Number(parsed.args.reason) === ALREADY_USED || (await contract.authorizationState(payment.payer, payment.nonce))) {
          const outcome = await this.fromChainState(payment);
          if (outcome) outcomes.set(payment.id, outcome);
        } else {
          const reason = SKIP_REASONS[Number(parsed.args.reason)] ?? "RC_PAYMENT_SKIPPED";
          await markPaymentFailed(this.sql, payment.id, reason, receipt.hash, { number: receipt.blockNumber, hash: receipt.blockHash });
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
    // A nonce is used or canceled once: its one log, looked for newest window first.
    const find = (name: "AuthorizationUsed" | "AuthorizationCanceled") =>
      newestLogSince(this.chain, this.chain.deployment.startBlock, (fromBlock, toBlock) =>
        this.chain.provider.getLogs({ address: payment.token, topics: topics(name), fromBlock, toBlock }),
      );
    const used = await find("AuthorizationUsed");
    if (used) {
      await markPaymentsIncluded(this.sql, [payment.id], used.transactionHash, { number: used.blockNumber, hash: used.blockHash });
      return { status: "included", txHash: used.transactionHash, blockNumber: used.blockNumber };
    }
    const canceled = await find("AuthorizationCanceled");
    // Used, and neither log found: a node whose logs lag its state (during a reorganisation, say) answers so
    // for a moment. Failing the payment now could deny one the chain carried out; the retry reads again.
    if (!canceled) throw new Error(`payment ${payment.id}: its authorization is used, by no transaction the node's logs show yet`);
    await markPaymentFailed(this.sql, payment.id, "RC_AUTHORIZATION_CANCELED", canceled.transactionHash, { number: canceled.blockNumber, hash: canceled.blockHash });
    return { status: "failed", reason: "RC_AUTHORIZATION_CANCELED", txHash: canceled.transactionHash, blockNumber: canceled.blockNumber };
  }
}
