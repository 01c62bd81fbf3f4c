import { type JsonRpcProvider, keccak256, type TransactionReceipt, type TransactionRequest, type Wallet } from "ethers";
import { type Fees, firstFees, replacementFees } from "../core/fees.js";
import type { Sql } from "../db/sql.js";
import { FeeCeilingWait } from "./fee-ceiling.js";
import { FeeMarket } from "./fee-market.js";
import { firstReceipt, type InFlight, inFlight, nodeKnowsAny, pollReceipts, type Signed, sleep } from "./in-flight.js";
import { Journal } from "./journal.js";
import { SignerBalance } from "./signer-balance.js";

export interface SentTransaction {
  hash: string;
  nonce: number;
}

/** How a writer prices, replaces and watches its transactions (config: MAX_FEE_PER_GAS_GWEI, TX_REPLACE_AFTER_MS, ...). */
export interface SendPolicy {
  /** The most a transaction may offer per gas, in wei; undefined: no ceiling beyond the market's own price. */
  maxFeePerGas?: bigint;
  /** How long a transaction may sit unmined before it is replaced (or, if the node lost it, sent again). */
  replaceAfterMs: number;
  /** Below what this many more transactions would cost, the signer's balance is reported low. */
  lowBalanceTransactions: number;
  log?: Pick<Console, "info" | "warn" | "error">;
}

export const DEFAULT_SEND_POLICY: SendPolicy = { replaceAfterMs: 30_000, lowBalanceTransactions: 50 };

/** While fees are above the ceiling, how often they are read again. */
const FEE_RECHECK_MS = 2_000;
/** Broadcasts of one nonce the node refuses before the nonce is filled, so it stops holding up the key. */
const REFUSALS_BEFORE_FILL = 3;
const GAS_SELF_TRANSFER = 21_000n;

/**
 * The only path by which a process's signer sends transactions. It owns the nonce sequence (a node with
 * automine refuses nonces out of order, and two senders of one key would collide), prices each transaction from
 * the node's fee history under the ceiling, signs locally so the hash is known before the transaction leaves, and
 * lets the caller record that hash first: an outbox entry then always exists for anything that may be on chain.
 *
 * With a journal (`useJournal`, migration 012) it also keeps every signed transaction before broadcasting it,
 * and follows each nonce until one of its transactions mines: it replaces one that sat unmined for
 * `replaceAfterMs` at higher fees, sends again the very bytes a node dropped, and fills with a self-transfer a
 * nonce below ours that nothing recorded holds. `mined(hash)` answers with whichever of the family mined.
 */
export class ChainWriter {
  private nextNonce: number | undefined;
  private lock: Promise<unknown> = Promise.resolve();
  private readonly inFlight = new Map<number, InFlight>();
  private readonly byHash = new Map<string, InFlight>();
  /** Gaps being filled: every nonce waiting above a gap finds it, and only one of them may fill it. */
  private readonly filling = new Set<number>();
  private journal: Journal | undefined;
  private resumed: Promise<void> | undefined;
  /** After a restart, the nonce after the highest the journal held unmined. */
  private resumedFloor = 0;
  private readonly market: FeeMarket;
  private readonly ceiling: FeeCeilingWait;
  private closed = false;
  readonly balance: SignerBalance;

  constructor(
    readonly wallet: Wallet,
    readonly policy: SendPolicy = DEFAULT_SEND_POLICY,
  ) {
    this.market = new FeeMarket(this.provider);
    this.balance = new SignerBalance(this.provider, wallet.address, policy);
    this.ceiling = new FeeCeilingWait(wallet.address, policy.log);
  }

  get address(): string {
    return this.wallet.address;
  }

  private get provider(): JsonRpcProvider {
    return this.wallet.provider as JsonRpcProvider;
  }

  /** True while a send or a replacement waits for fees to fall under the ceiling. */
  get feeCeilingBlocked(): boolean {
    return this.ceiling.blocked;
  }

  /** Keeps signed transactions in `sql` (migration 012), which replacement and recovery need; set by every engine that sends. */
  useJournal(sql: Sql): void {
    if (this.journal) return;
    this.journal = new Journal(sql, this.address);
    this.resumed = undefined;
  }

  /**
   * Fills and signs `request` with the next nonce, awaits `beforeBroadcast(hash)` (which may refuse by
   * throwing: nothing is sent then and the nonce is reused), then broadcasts. Sends are serialized;
   * waiting for receipts is not, so batches pipeline. While fees are above the ceiling it waits to send.
   */
  send(request: TransactionRequest, beforeBroadcast?: (sent: SentTransaction) => Promise<void>): Promise<SentTransaction> {
    const run = this.lock.then(() => this.sendNow(request, beforeBroadcast));
    this.lock = run.catch(() => {});
    return run;
  }

  /**
   * The receipt of whichever transaction of `hash`'s family (it and its replacements) mined; null when the nonce
   * went to another transaction, so none of them ever will. A nonce this writer follows is waited for as long as
   * it takes; any other hash for `timeoutMs` (null after that).
   */
  async mined(hash: string, timeoutMs = 60_000): Promise<TransactionReceipt | null> {
    await this.resume();
    const followed = this.byHash.get(hash);
    if (followed) return followed.receipt;
    return pollReceipts(this.provider, await this.familyHashes(hash), timeoutMs);
  }

  /**
   * What became of a transaction recorded earlier, any of its family counting: its receipt, "unknown" when none
   * of them mined and none can any more (or the node never saw them), "pending" when the node holds one unmined
   * that this writer does not follow, a minute on.
   */
  async fateOf(hash: string): Promise<TransactionReceipt | "pending" | "unknown"> {
    await this.resume();
    const followed = this.byHash.get(hash);
    if (followed) return (await followed.receipt) ?? "unknown";
    const hashes = await this.familyHashes(hash);
    const receipt = await firstReceipt(this.provider, hashes);
    if (receipt) return receipt;
    if (!(await nodeKnowsAny(this.provider, hashes))) return "unknown";
    return (await pollReceipts(this.provider, hashes, 60_000)) ?? "pending";
  }

  /** Sends and waits for the receipt, failing on a revert. For rare administrative transactions. */
  async sendAndWait(request: TransactionRequest) {
    const { hash } = await this.send(request);
    const receipt = await this.mined(hash);
    if (!receipt || receipt.status !== 1) throw new Error(`transaction ${hash} reverted`);
    return receipt;
  }

  /** Stops following nonces: whoever waits on one is told so, and a later run resumes them from the journal. */
  close(): void {
    this.closed = true;
  }

  /**
   * A reorganisation took transactions of ours out of the chain (and out of the node's pool): the next send
   * asks the node for its nonce again. Without this, the next transaction would take the nonce after the lost
   * ones and wait behind the gap until it is filled (`replaceAfterMs` later): a stall after every reorganisation.
   */
  rewind(): void {
    this.lock = this.lock.then(() => {
      this.nextNonce = undefined;
    });
  }

  private async sendNow(request: TransactionRequest, beforeBroadcast?: (sent: SentTransaction) => Promise<void>) {
    await this.resume();
    const nonce = (this.nextNonce ??= await this.freshNonce());
    const fees = await this.priceFirst();
    const populated = await this.wallet.populateTransaction({ ...request, nonce, type: 2, ...fees });
    const raw = await this.wallet.signTransaction(populated);
    // A transaction's hash is the keccak of its signed serialization. Parsing it back (Transaction.from) to
    // ask ethers costs ~30 ms for a 250-payment relay (72 KB of calldata).
    const sent = { hash: keccak256(raw), nonce };
    if (beforeBroadcast) await beforeBroadcast(sent);
    const signed: Signed = { hash: sent.hash, raw, fees, request: populated, origin: sent.hash };
    await this.journal?.record(nonce, signed);
    try {
      await this.broadcast(signed);
    } catch (error) {
      // The node may or may not have taken it: follow it if it did, else ask it for the nonce next time.
      // (Hardhat's automine mines a reverting transaction, then answers the broadcast with the revert.)
      if (await nodeKnowsAny(this.provider, [sent.hash]).catch(() => false)) {
        this.nextNonce = nonce + 1;
        this.follow(inFlight(nonce, [signed], Date.now()));
      } else {
        this.nextNonce = undefined;
      }
      throw error;
    }
    this.nextNonce = nonce + 1;
    this.follow(inFlight(nonce, [signed], Date.now()));
    this.balance.sent(BigInt(populated.gasLimit ?? GAS_SELF_TRANSFER), fees);
    return sent;
  }

  /**
   * The node's next nonce. The node is the authority (after a reorganisation it rewinds, and a nonce above it is
   * refused), except once after a restart: nonces the journal holds unmined stay ours, to be sent again.
   */
  private async freshNonce(): Promise<number> {
    const pending = await this.provider.getTransactionCount(this.address, "pending");
    const floor = this.resumedFloor;
    this.resumedFloor = 0;
    return Math.max(pending, floor);
  }

  /** The market's fees, waiting while even inclusion would cost more than the ceiling. */
  private async priceFirst(): Promise<Fees> {
    for (;;) {
      const priced = firstFees(await this.market.read(), this.policy.maxFeePerGas);
      if ("fees" in priced) {
        this.ceiling.unblock("send");
        return priced.fees;
      }
      this.ceiling.block("send", priced.blocked);
      if (this.closed) throw new Error("the chain writer closed while fees were above the ceiling");
      await sleep(FEE_RECHECK_MS);
    }
  }

  private async broadcast({ raw, hash }: Signed): Promise<void> {
    // eth_sendRawTransaction exactly as provider.broadcastTransaction sends it (same errors), without the
    // Transaction.from(signed) and block-number fetch it adds to build a response nobody here reads: for
    // a 250-payment relay that took the broadcast from ~125 to ~55 ms on the bench.
    const returned = (await this.provider.send("eth_sendRawTransaction", [raw])) as string;
    if (returned.toLowerCase() !== hash) throw new Error(`the node answered hash ${returned} for ${hash}`);
  }

  private follow(entry: InFlight): void {
    this.inFlight.set(entry.nonce, entry);
    for (const signed of entry.signed) if (!signed.filler) this.byHash.set(signed.hash, entry);
    void this.watch(entry);
  }

  private finish(entry: InFlight, receipt: TransactionReceipt | null): void {
    this.inFlight.delete(entry.nonce);
    for (const signed of entry.signed) this.byHash.delete(signed.hash);
    this.ceiling.unblock(`nonce:${entry.nonce}`);
    const filler = entry.signed.find((signed) => signed.hash === receipt?.hash)?.filler;
    entry.resolve(filler ? null : receipt);
  }

  /** Polls the nonce's receipts until one mines; past the replace time, finds out why not and acts. */
  private async watch(entry: InFlight): Promise<void> {
    let delay = 20;
    let failing = false;
    while (!this.closed) {
      try {
        const receipt = await firstReceipt(this.provider, entry.signed.map((s) => s.hash));
        if (receipt) return this.finish(entry, receipt);
        if (Date.now() - entry.broadcastAt >= this.policy.replaceAfterMs && (await this.unstick(entry))) {
          // The nonce went by: to one of ours that mined just now, or to another transaction.
          return this.finish(entry, (await firstReceipt(this.provider, entry.signed.map((s) => s.hash))) ?? null);
        }
        failing = false;
      } catch (error) {
        if (!failing) this.policy.log?.warn({ err: error, nonce: entry.nonce }, "could not follow a transaction; trying again");
        failing = true;
      }
      await sleep(delay);
      delay = Math.min(delay * 2, 500);
    }
    entry.reject(new Error(`the chain writer closed before nonce ${entry.nonce} of ${this.address} mined`));
  }

  /**
   * A nonce unmined for the replace time: true when the chain has moved past it. Otherwise fills the nonces
   * below it that nothing holds, sends again what the node lost, and replaces what the node holds at low fees.
   */
  private async unstick(entry: InFlight): Promise<boolean> {
    const latest = await this.provider.getTransactionCount(this.address, "latest");
    if (latest > entry.nonce) return true;
    for (let nonce = latest; nonce < entry.nonce; nonce++) if (!this.inFlight.has(nonce) && !this.filling.has(nonce)) await this.fill(nonce);
    if (!(await nodeKnowsAny(this.provider, entry.signed.map((s) => s.hash)))) {
      await this.sendAgain(entry);
      return false;
    }
    // Behind a lower nonce, fees are not what holds it: the lower nonce's own watch deals with that one.
    if (latest === entry.nonce) await this.replace(entry);
    else entry.broadcastAt = Date.now();
    return false;
  }

  /** The node lost the nonce's transaction (dropped, or a crash before it left): the very same bytes go again. */
  private async sendAgain(entry: InFlight): Promise<void> {
    const newest = entry.signed.at(-1)!;
    entry.broadcastAt = Date.now();
    try {
      await this.broadcast(newest);
      entry.refusals = 0;
      this.policy.log?.warn({ signer: this.address, nonce: entry.nonce, tx: newest.hash }, "the node had lost a transaction; sent it again");
    } catch (error) {
      this.policy.log?.warn({ err: error, nonce: entry.nonce, tx: newest.hash }, "the node refused a lost transaction sent again");
      // Its fees may be what the node refuses now (a base fee above its max fee): a replacement at the
      // market's is the same write, once. Only what the node refuses at any fee counts towards filling the nonce.
      if ((await this.replace(entry)) !== "refused") return;
      entry.refusals += 1;
      if (entry.refusals >= REFUSALS_BEFORE_FILL) await this.fillEntry(entry);
    }
  }

  /** Re-signs the nonce's newest transaction at fees raised by at least the replacement minimum, under the ceiling. */
  private async replace(entry: InFlight): Promise<"sent" | "blocked" | "refused"> {
    if (!this.journal) {
      // A replacement nobody recorded could mine unseen by recovery: a writer without a journal only waits.
      entry.broadcastAt = Date.now();
      return "blocked";
    }
    const newest = entry.signed.at(-1)!;
    const priced = replacementFees(newest.fees, await this.market.read(), this.policy.maxFeePerGas);
    if ("blocked" in priced) {
      this.ceiling.block(`nonce:${entry.nonce}`, priced.blocked);
      entry.broadcastAt = Date.now() - this.policy.replaceAfterMs + FEE_RECHECK_MS;
      return "blocked";
    }
    this.ceiling.unblock(`nonce:${entry.nonce}`);
    const request = { ...newest.request, ...priced.fees };
    if (!(await this.sign(entry, request, newest.origin, newest.filler))) return "refused";
    this.policy.log?.info(
      { signer: this.address, nonce: entry.nonce, replaced: newest.hash, tx: entry.signed.at(-1)!.hash, maxFeePerGas: String(priced.fees.maxFeePerGas) },
      "replaced a transaction that had not mined",
    );
    return "sent";
  }

  /** A nonce below ours that nothing recorded holds: a zero-value transfer to ourselves takes it. */
  private async fill(nonce: number): Promise<void> {
    const entry = inFlight(nonce, [], Date.now());
    this.filling.add(nonce);
    try {
      // Refused (something we do not know of still holds the nonce in the node's pool): looked at again next time.
      if (!(await this.signFiller(entry, "fill"))) return;
      this.follow(entry);
    } finally {
      this.filling.delete(nonce);
    }
    this.policy.log?.warn({ signer: this.address, nonce }, "filled a nonce gap with a self-transfer");
  }

  /** The node keeps refusing the nonce's own transaction: a self-transfer takes the nonce, and its row is sent anew. */
  private async fillEntry(entry: InFlight): Promise<void> {
    if (await this.signFiller(entry, `nonce:${entry.nonce}`)) {
      this.policy.log?.warn({ signer: this.address, nonce: entry.nonce }, "the node refuses a nonce's transaction; filled the nonce");
    }
  }

  /** True when the node took the self-transfer; `blocking` names what waits while fees are above the ceiling. */
  private async signFiller(entry: InFlight, blocking: string): Promise<boolean> {
    const priced = firstFees(await this.market.read(), this.policy.maxFeePerGas);
    if ("blocked" in priced) return this.ceiling.block(blocking, priced.blocked), false;
    this.ceiling.unblock(blocking);
    const { chainId } = await this.provider.getNetwork();
    const request = { type: 2, chainId, from: this.address, to: this.address, value: 0n, gasLimit: GAS_SELF_TRANSFER, nonce: entry.nonce, ...priced.fees };
    return this.sign(entry, request, undefined, true);
  }

  /** Signs `request` into `entry`, records it, then broadcasts it; false when the node refused it (the watch goes on). */
  private async sign(entry: InFlight, request: TransactionRequest, origin: string | undefined, filler = false): Promise<boolean> {
    const raw = await this.wallet.signTransaction(request);
    const hash = keccak256(raw);
    const fees = { maxFeePerGas: BigInt(request.maxFeePerGas!), maxPriorityFeePerGas: BigInt(request.maxPriorityFeePerGas!) };
    const signed: Signed = { hash, raw, fees, request, origin: origin ?? hash, ...(filler ? { filler } : {}) };
    await this.journal?.record(entry.nonce, signed);
    entry.signed.push(signed);
    if (!filler && this.inFlight.get(entry.nonce) === entry) this.byHash.set(hash, entry);
    entry.broadcastAt = Date.now();
    try {
      await this.broadcast(signed);
      return true;
    } catch (error) {
      this.policy.log?.warn({ err: error, nonce: entry.nonce, tx: hash }, "the node refused a replacement");
      return false;
    }
  }

  private resume(): Promise<void> {
    this.resumed ??= this.resumeNow().catch((error: unknown) => {
      this.resumed = undefined;
      throw error;
    });
    return this.resumed;
  }

  /** Follows again the nonces a previous run left unmined, from the journal: each family newest at its nonce. */
  private async resumeNow(): Promise<void> {
    if (!this.journal) return;
    const unmined = await this.journal.unmined(await this.provider.getTransactionCount(this.address, "latest"));
    for (const [nonce, family] of unmined) if (!this.inFlight.has(nonce)) this.follow(inFlight(nonce, family, 0));
    this.resumedFloor = Math.max(0, ...[...unmined.keys()].map((nonce) => nonce + 1));
    if (unmined.size > 0) this.policy.log?.info({ signer: this.address, nonces: [...unmined.keys()] }, "following transactions a previous run left unmined");
  }

  private familyHashes(hash: string): Promise<string[]> {
    return this.journal ? this.journal.familyHashes(hash) : Promise.resolve([hash]);
  }
}
