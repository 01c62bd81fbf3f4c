import { signal } from "@preact/signals";

/** A payment signed on this phone: sent with `send`, or shown as a voucher for the shop to submit. */
export interface Signed {
  programId: number;
  symbol: string;
  amount: string;
  /** The shop's name when it was signed, or its address when it could not be read. */
  payeeName: string;
  authorization: { from: string; to: string; value: string; validAfter: number; validBefore: number; nonce: string };
  signature: string;
  /** The offline voucher's text (a passkey wallet's too); absent when the signature cannot be one (see pay.tsx), or kept before passkey vouchers. */
  voucher?: string;
}

const storageKey = (address: string) => `recircle.kept-vouchers.${address}`;

/**
 * Signed payments not yet accepted by the API, kept on the phone until they are (or expire): a signature is
 * money promised, so no button may drop one silently. One list per wallet, newest first.
 */
export const keptVouchers = signal<Signed[]>([]);

export function loadKept(wallet: string) {
  const now = Date.now() / 1000;
  const stored = JSON.parse(localStorage.getItem(storageKey(wallet)) ?? "[]") as Signed[];
  keptVouchers.value = stored.filter((s) => s.authorization.validBefore > now);
}

function save(wallet: string, list: Signed[]) {
  keptVouchers.value = list;
  localStorage.setItem(storageKey(wallet), JSON.stringify(list));
}

export const keep = (wallet: string, signed: Signed) =>
  save(wallet, [signed, ...keptVouchers.value.filter((s) => s.authorization.nonce !== signed.authorization.nonce)]);

/** Accepted by the API (or already taken by the shop): no longer the phone's to keep. */
export const release = (wallet: string, nonce: string) => save(wallet, keptVouchers.value.filter((s) => s.authorization.nonce !== nonce));
