import { ZeroAddress } from "ethers";
import type { FastifyInstance } from "fastify";
import type { Static } from "typebox";
import { formatTokenAmount } from "../../../core/amounts.js";
import { readCheckpoint } from "../../../db/chain-events.js";
import { findCollectorByAddress } from "../../../db/collectors.js";
import { eventsOfBeneficiary, type CreditEvent } from "../../../db/events.js";
import { tokenBalances, unexplainedTransfers, type ChainTransfer, type TokenBalance } from "../../../db/ledger.js";
import { paymentsOfWallet, type Payment } from "../../../db/payments.js";
import { reversalsOfHolder, type Reversal } from "../../../db/reversals.js";
import type { HistoryItem as HistoryItemSchema } from "../../schemas/reads.js";

/** Histories are bounded: the latest this many movements of each source, merged. */
export const HISTORY_LIMIT = 200;

// `escrowed` never shows here in practice: an escrowed event's beneficiary is a phone placeholder, not a wallet.
type HistoryItem = Static<typeof HistoryItemSchema>;

const blockOf = (block: bigint | null) => (block === null ? null : Number(block));

export const presentBalance = (b: TokenBalance) => ({
  programId: Number(b.programId),
  name: b.name,
  symbol: b.symbol,
  token: b.token,
  balance: formatTokenAmount(b.balance),
});

const EVENT_REASONS = { collection: "RC_COLLECTION_CREDIT", bonus: "RC_COLLECTION_BONUS", loyalty: "RC_LOYALTY_CREDIT" } as const;

function eventItem(event: CreditEvent): HistoryItem {
  return {
    kind: event.kind,
    reason: EVENT_REASONS[event.kind],
    holdReasons: event.reasons,
    direction: "in",
    programId: Number(event.programId),
    amount: formatTokenAmount(event.credit),
    status: event.status,
    id: Number(event.id),
    ...(event.material !== null ? { material: event.material } : {}),
    ...(event.grams !== null ? { grams: Number(event.grams) } : {}),
    ...(event.loyaltyType !== null ? { loyaltyType: event.loyaltyType } : {}),
    txHash: event.txHash,
    blockNumber: blockOf(event.blockNumber),
    at: event.createdAt.toISOString(),
  };
}

function paymentItem(payment: Payment, wallet: string): HistoryItem {
  const out = payment.payer === wallet;
  return {
    kind: "payment",
    reason: out ? "RC_PAYMENT_OUT" : "RC_PAYMENT_IN",
    holdReasons: [],
    direction: out ? "out" : "in",
    programId: Number(payment.programId),
    amount: formatTokenAmount(payment.value),
    status: payment.status,
    id: Number(payment.id),
    counterparty: out ? payment.payee : payment.payer,
    ...(payment.failureReason !== null ? { failureReason: payment.failureReason } : {}),
    txHash: payment.txHash,
    blockNumber: blockOf(payment.blockNumber),
    at: payment.createdAt.toISOString(),
  };
}

function transferItem(transfer: ChainTransfer, wallet: string, at: Date): HistoryItem {
  const out = transfer.from === wallet;
  const counterparty = out ? transfer.to : transfer.from;
  const reason =
    counterparty === ZeroAddress ? (out ? "RC_BURN" : "RC_MINT") : out ? "RC_TRANSFER_OUT" : "RC_TRANSFER_IN";
  return {
    kind: "transfer",
    reason,
    holdReasons: [],
    direction: out ? "out" : "in",
    programId: Number(transfer.programId),
    amount: formatTokenAmount(transfer.value),
    status: "confirmed",
    counterparty,
    txHash: transfer.txHash,
    blockNumber: Number(transfer.blockNumber),
    at: at.toISOString(),
  };
}

/** A reversal of one of the wallet's credits: tokens out (what was burned), beside the credit it reverses. */
function reversalItem(reversal: Reversal): HistoryItem {
  return {
    kind: "reversal",
    reason: "RC_CREDIT_REVERSED",
    holdReasons: [],
    direction: "out",
    programId: Number(reversal.programId),
    // Until it is mined the burn is unknown: the whole credit is what it will try to take back.
    amount: formatTokenAmount(reversal.burned ?? reversal.amount),
    status: reversal.status,
    id: Number(reversal.eventId),
    note: reversal.reason,
    ...(reversal.shortfall !== null ? { shortfall: formatTokenAmount(reversal.shortfall) } : {}),
    txHash: reversal.txHash,
    blockNumber: blockOf(reversal.blockNumber),
    at: reversal.createdAt.toISOString(),
  };
}

/**
 * chain_events keeps no block times, and the other sources are ordered by when we recorded them; a transfer
 * made without us is placed by its block's time instead, asked of the node (a handful: such transfers are rare).
 */
async function blockTimes(app: FastifyInstance, transfers: ChainTransfer[]): Promise<Map<bigint, Date>> {
  const blocks = [...new Set(transfers.map((t) => t.blockNumber))];
  const times = await Promise.all(blocks.map(async (n) => (await app.chain.provider.getBlock(Number(n)))?.timestamp));
  // A block the node no longer has (a reorg the indexer has not rewound yet) sorts last rather than failing the read.
  return new Map(blocks.map((n, i) => [n, new Date((times[i] ?? 0) * 1000)]));
}

/** A wallet's balances and its latest movements, newest first. `wallet` is EIP-55. */
export async function collectorLedger(app: FastifyInstance, wallet: string) {
  const [collector, balances, events, payments, transfers, checkpoint, reversals] = await Promise.all([
    findCollectorByAddress(app.sql, wallet),
    tokenBalances(app.sql, wallet),
    eventsOfBeneficiary(app.sql, wallet, HISTORY_LIMIT),
    paymentsOfWallet(app.sql, wallet, HISTORY_LIMIT),
    unexplainedTransfers(app.sql, wallet, HISTORY_LIMIT),
    readCheckpoint(app.sql),
    reversalsOfHolder(app.sql, wallet, HISTORY_LIMIT),
  ]);
  const times = await blockTimes(app, transfers);
  const history = [
    ...events.map(eventItem),
    ...payments.map((p) => paymentItem(p, wallet)),
    ...transfers.map((t) => transferItem(t, wallet, times.get(t.blockNumber)!)),
    ...reversals.map(reversalItem),
  ]
    // ISO-8601 UTC strings of one format sort as text; the sort is stable, so each source keeps its order on ties.
    .sort((a, b) => (a.at < b.at ? 1 : a.at > b.at ? -1 : 0))
    .slice(0, HISTORY_LIMIT);
  return {
    address: wallet,
    registered: collector !== undefined,
    displayName: collector?.displayName ?? null,
    indexedBlock: checkpoint?.blockNumber ?? null,
    balances: balances.map(presentBalance),
    history,
  };
}
