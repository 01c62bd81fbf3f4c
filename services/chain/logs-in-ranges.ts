import type { Provider } from "ethers";
import { type BlockSpan, narrowerWindow, nextWindow, type ScanOrder } from "../core/block-windows.js";

/**
 * Logs read in windows of at most `logRange` blocks (CHAIN_LOG_RANGE), never from a deployment's start to the
 * head in one eth_getLogs: real providers refuse wide ranges and large answers, so a network running for months
 * would see every such read fail for good. A window the node refuses is halved and asked again, down to
 * MIN_LOG_WINDOW blocks; the narrower window then stays for the rest of the read.
 */

/** What a read needs of the chain: its head, and how many blocks one eth_getLogs may span. */
export interface LogSource {
  provider: Pick<Provider, "getBlockNumber">;
  logRange: number;
}

/** One eth_getLogs over blocks from..to (both included): provider.getLogs or a contract's queryFilter. */
export type ReadLogs<T> = (fromBlock: number, toBlock: number) => Promise<T[]>;

/** Narrower than this, a refusal is the node's last word (one block's logs too large to answer is no range issue). */
export const MIN_LOG_WINDOW = 1;

/**
 * How the common providers refuse a range or an answer too large (Alchemy, Infura, QuickNode, Ankr, geth,
 * Erigon...). They answer with -32005, -32602, -32600 or -32000 and the code alone says too little (-32602
 * is every bad parameter), so the message decides.
 */
const RANGE_REFUSAL = new RegExp(
  [
    "block range", // "query exceeds max block range 10000", "up to a 2K block range", "block range is too wide"
    "range (is )?too (large|wide|big)",
    "limited to a [\\d,]+ (block )?range", // "eth_getLogs is limited to a 10,000 range"
    "max(imum)? range",
    "exceeds? (the )?range",
    "log response size", // "Log response size exceeded"
    "response size (exceeded|too large|limit)",
    "(returned )?more than [\\d,]+ (results|logs)", // "query returned more than 10000 results"
    "too many (results|logs|blocks)",
    "query timeout exceeded",
  ].join("|"),
  "i",
);

/** The messages an error (ethers' wrapper, the JSON-RPC error it carries, its causes) holds. */
function messagesOf(error: unknown, depth = 0): string[] {
  if (depth > 4 || typeof error !== "object" || error === null) return typeof error === "string" ? [error] : [];
  const record = error as { message?: unknown; shortMessage?: unknown; error?: unknown; info?: { error?: unknown }; cause?: unknown };
  return [
    ...[record.message, record.shortMessage].filter((text): text is string => typeof text === "string"),
    ...messagesOf(record.error, depth + 1),
    ...messagesOf(record.info?.error, depth + 1),
    ...messagesOf(record.cause, depth + 1),
  ];
}

/** Whether the node refused an eth_getLogs for its range or its answer's size (a narrower one may pass). */
export function isRangeRefusal(error: unknown): boolean {
  return messagesOf(error).some((message) => RANGE_REFUSAL.test(message));
}

/** Reads every window of `span` in `order`, narrowing on refusals; `each` returns true to stop. */
async function scan<T>(
  span: BlockSpan,
  logRange: number,
  order: ScanOrder,
  read: ReadLogs<T>,
  each: (logs: T[]) => Promise<boolean>,
): Promise<void> {
  let size = logRange;
  let previous: BlockSpan | undefined;
  for (let window = nextWindow(span, size, order); window; window = nextWindow(span, size, order, previous)) {
    let logs: T[];
    try {
      logs = await read(window.from, window.to);
    } catch (error) {
      const narrower = isRangeRefusal(error) && window.to > window.from ? narrowerWindow(size, MIN_LOG_WINDOW) : undefined;
      if (narrower === undefined) throw error;
      size = Math.min(narrower, window.to - window.from); // never retry the same range
      continue; // the same edge again, narrower
    }
    previous = window;
    if (await each(logs)) return;
  }
}

/** Every log of `read` from `fromBlock` to the head, oldest first: what one unbounded eth_getLogs would answer. */
export async function logsSince<T>(chain: LogSource, fromBlock: number, read: ReadLogs<T>): Promise<T[]> {
  const span = { from: fromBlock, to: await chain.provider.getBlockNumber() };
  const all: T[] = [];
  await scan(span, chain.logRange, "oldest-first", read, async (logs) => {
    all.push(...logs);
    return false;
  });
  return all;
}

/**
 * The newest log of `read` from `fromBlock` to the head that `wanted` accepts (any, without it), reading the
 * newest window first and stopping at the first window that has one: a recent log costs one or two calls.
 */
export async function newestLogSince<T>(
  chain: LogSource,
  fromBlock: number,
  read: ReadLogs<T>,
  wanted: (log: T) => boolean | Promise<boolean> = () => true,
): Promise<T | undefined> {
  const span = { from: fromBlock, to: await chain.provider.getBlockNumber() };
  let found: T | undefined;
  await scan(span, chain.logRange, "newest-first", read, async (logs) => {
    for (const log of logs.toReversed()) {
      if (await wanted(log)) {
        found = log;
        return true;
      }
    }
    return false;
  });
  return found;
}
