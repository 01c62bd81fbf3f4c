import type { Progress } from "../ui/status-steps.js";

/** GET /v1/retailers/me and the payment and redemption answers, as the retailer's pages read them. */
export interface Balance {
  programId: number;
  name: string;
  symbol: string;
  token: string;
  balance: string;
}

export interface Payment {
  id: number;
  programId: number;
  from: string;
  to: string;
  value: string;
  source: "online" | "voucher";
  status: Progress;
  failureReason: string | null;
  txHash: string | null;
  blockNumber: number | null;
  createdAt: string;
}

export interface Redemption {
  id: number;
  programId: number;
  tokens: string;
  status: Progress;
  failureReason: string | null;
  txHash: string | null;
  blockNumber: number | null;
  gross: string | null;
  fee: string | null;
  net: string | null;
  /** Only in GET /v1/redemptions/:id: the sponsors' deposits that paid it, oldest first. */
  draws?: { depositId: number; sponsor: string; amount: string }[];
  createdAt: string;
}

export interface Overview {
  id: number;
  name: string;
  address: string | null;
  indexedBlock: number | null;
  balances: Balance[];
  payments: Payment[];
  redemptions: Redemption[];
}

export const isFinal = (status: Progress) => status === "confirmed" || status === "failed" || status === "rejected";
