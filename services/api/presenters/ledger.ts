import { ZeroAddress } from "ethers";
import type { Static } from "typebox";
import { formatTokenAmount } from "../../core/amounts.js";
import type { CreditEvent } from "../../db/events.js";
import type { ChainTransfer, TokenBalance } from "../../db/ledger.js";
import type { Payment } from "../../db/payments.js";
import type { Reversal } from "../../db/reversals.js";
import type { Ledger, LedgerEntry } from "../../flows/read-ledger.js";
import type { HistoryItem as HistoryItemSchema } from "../schemas/reads.js";

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
    // As a payment's: the code (RC_ARITHMETIC_OVERFLOW) of why the token refused the credit.
    ...(event.failureCode !== null ? { failureReason: event.failureCode } : {}),
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

function historyItem(entry: LedgerEntry, wallet: string): HistoryItem {
  switch (entry.source) {
    case "event":
      return eventItem(entry.event);
    case "payment":
      return paymentItem(entry.payment, wallet);
    case "transfer":
      return transferItem(entry.transfer, wallet, entry.at);
    case "reversal":
      return reversalItem(entry.reversal);
  }
}

/** A wallet's ledger as GET /v1/collectors/:address answers it. */
export function presentLedger(ledger: Ledger) {
  return {
    address: ledger.wallet,
    registered: ledger.collector !== undefined,
    displayName: ledger.collector?.displayName ?? null,
    indexedBlock: ledger.indexedBlock,
    balancesBlock: ledger.balancesBlock,
    updating: ledger.updating,
    balances: ledger.balances.map(presentBalance),
    history: ledger.history.map((entry) => historyItem(entry, ledger.wallet)),
  };
}
