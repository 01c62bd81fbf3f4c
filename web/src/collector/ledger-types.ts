/** GET /v1/collectors/:address, as the page reads it. */
export interface Balance {
  programId: number;
  name: string;
  symbol: string;
  token: string;
  balance: string;
}

export interface HistoryItem {
  kind: "collection" | "loyalty" | "bonus" | "payment" | "transfer" | "reversal";
  reason: string;
  holdReasons: string[];
  direction: "in" | "out";
  programId: number;
  amount: string;
  status: "pending" | "submitted" | "confirmed" | "held" | "rejected" | "failed" | "escrowed";
  id?: number;
  counterparty?: string;
  material?: string;
  grams?: number;
  failureReason?: string;
  note?: string;
  txHash: string | null;
  blockNumber: number | null;
  at: string;
}

export interface CollectorLedger {
  address: string;
  registered: boolean;
  displayName: string | null;
  indexedBlock: number | null;
  balances: Balance[];
  history: HistoryItem[];
}

export interface CreditReport {
  score: number;
  asOf: string;
  factors: { name: "tenure" | "regularity" | "volumeTrend" | "paymentBehaviour"; value: number; weight: number; explanation: string }[];
  signature: string;
  signer: string;
}
