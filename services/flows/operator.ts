import type { Chain } from "../chain/network.js";
import { CHAIN_WRITES_CHANNEL } from "../db/chain-writes.js";
import type { Sql } from "../db/sql.js";
import { ChainWriteSender } from "../engines/chain-write-sender.js";
import { creditLedger } from "../db/credit-finality.js";
import { FinalityWatcher } from "../engines/finality-watcher.js";
import { IdempotencyPurger } from "../engines/idempotency-purger.js";
import { MintBatcher, type MintBatcherOptions } from "../engines/mint-batcher.js";
import { OPERATOR_WRITES } from "./operator-writes.js";

export interface OperatorOptions {
  batchMax: number;
  batchMs: number;
  /** False: carry out the outbox only, leaving pending events to a batcher elsewhere (tests that stage them). */
  mint?: boolean;
  /** Blocks that must stand on a credit's block before it is confirmed (CHAIN_CONFIRMATIONS). */
  confirmations: number;
  /** Purge idempotency keys older than this many hours (IDEMPOTENCY_KEY_TTL_HOURS); absent, none are purged. */
  idempotencyKeyTtlHours?: number;
  log?: MintBatcherOptions["log"];
  observe?: MintBatcherOptions["observe"];
}

/** How long a stop waits for transactions in flight to settle before leaving them to the next run. */
const STOP_GRACE_MS = 10_000;

/** The operator key's one sender, running: the mint batcher and the transaction outbox share its nonces. */
export interface Operator {
  address: string;
  /** Events were accepted: a full batch need not wait for the next poll. */
  notify(): void;
  stop(): Promise<void>;
}

/**
 * Starts everything the operator's key sends: settles what a previous run left in flight, then mints pending
 * events in batches and carries out the outbox's writes, woken by the flows' notifications. Exactly one may
 * run per key (workers/operator.ts holds the key's sender lock first).
 */
export async function startOperator(sql: Sql, chain: Chain, options: OperatorOptions): Promise<Operator> {
  const batcher = new MintBatcher(sql, chain, options);
  const sender = new ChainWriteSender(sql, chain, OPERATOR_WRITES, { ...(options.log ? { log: options.log } : {}) });
  const watched = [{ ledger: creditLedger(sql), onReopened: (txHash: string) => batcher.resettle(txHash) }, sender.watched()];
  const finality = new FinalityWatcher(chain, watched, {
    confirmations: options.confirmations,
    ...(options.log ? { log: options.log } : {}),
  });
  const purger =
    options.idempotencyKeyTtlHours === undefined
      ? undefined
      : new IdempotencyPurger(sql, { ttlHours: options.idempotencyKeyTtlHours, ...(options.log ? { log: options.log } : {}) });
  const mint = options.mint ?? true;
  if (mint) await batcher.recover();
  await sender.recover();
  const listening = await sql.listen(CHAIN_WRITES_CHANNEL, () => sender.notify());
  if (mint) batcher.start();
  sender.start();
  finality.start();
  purger?.start();
  return {
    address: chain.writer.address,
    notify: () => batcher.notify(),
    async stop() {
      await listening.unlisten();
      // A batch waiting on fees above the ceiling would hold the stop until they fall: past a grace period
      // the writer lets go of its nonces, and the next run follows them again from the journal.
      const letGo = setTimeout(() => chain.writer.close(), STOP_GRACE_MS);
      try {
        await Promise.all([batcher.stop(), sender.stop(), finality.stop(), purger?.stop()]);
      } finally {
        clearTimeout(letGo);
      }
    },
  };
}
