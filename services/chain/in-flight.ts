import type { JsonRpcProvider, TransactionReceipt, TransactionRequest } from "ethers";
import type { Fees } from "../core/fees.js";

/** One signed transaction at a nonce: the first sent for a row, a replacement of it, or a gap's filler. */
export interface Signed {
  hash: string;
  raw: string;
  fees: Fees;
  /** What was signed, so it can be signed again at other fees. */
  request: TransactionRequest;
  /** The hash its family started with (what the row recorded); a filler is its own family. */
  origin: string;
  /** A zero-value self-transfer that holds the nonce for the key: its receipt settles no row. */
  filler?: boolean;
}

/** A nonce sent and not yet settled: every transaction signed at it, and the promise its sender waits on. */
export interface InFlight {
  nonce: number;
  signed: Signed[];
  /** When the newest of them was broadcast (0: unknown, a previous run's): the replace clock starts there. */
  broadcastAt: number;
  /** Consecutive broadcasts the node refused: after a few, the nonce is filled so the key moves on. */
  refusals: number;
  /** The receipt of whichever of the row's transactions mined; null when the nonce went to none of them. */
  receipt: Promise<TransactionReceipt | null>;
  resolve(receipt: TransactionReceipt | null): void;
  reject(error: Error): void;
}

export function inFlight(nonce: number, signed: Signed[], broadcastAt: number): InFlight {
  let resolve!: InFlight["resolve"];
  let reject!: InFlight["reject"];
  const receipt = new Promise<TransactionReceipt | null>((yes, no) => {
    resolve = yes;
    reject = no;
  });
  // Nobody may be waiting (a filler, a previous run's nonce): a rejection at close must not crash the process.
  receipt.catch(() => {});
  return { nonce, signed, broadcastAt, refusals: 0, receipt, resolve, reject };
}

/** The first receipt among `hashes`, asked in one batch; undefined when none has mined. */
export async function firstReceipt(provider: JsonRpcProvider, hashes: string[]): Promise<TransactionReceipt | undefined> {
  const receipts = await Promise.all(hashes.map((hash) => provider.getTransactionReceipt(hash)));
  return receipts.find((receipt) => receipt !== null) ?? undefined;
}

/** Whether the node holds any of `hashes`, mined or waiting in its pool. */
export async function nodeKnowsAny(provider: JsonRpcProvider, hashes: string[]): Promise<boolean> {
  const found = await Promise.all(hashes.map((hash) => provider.getTransaction(hash)));
  return found.some((tx) => tx !== null);
}

/** Polls for a receipt of any of `hashes` until `timeoutMs`: 20 ms at first (an automining node), then up to 500 ms. */
export async function pollReceipts(provider: JsonRpcProvider, hashes: string[], timeoutMs: number) {
  const deadline = Date.now() + timeoutMs;
  for (let delay = 20; Date.now() < deadline; delay = Math.min(delay * 2, 500)) {
    const receipt = await firstReceipt(provider, hashes);
    if (receipt) return receipt;
    await sleep(delay);
  }
  return null;
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
