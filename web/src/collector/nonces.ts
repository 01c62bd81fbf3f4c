import { PaymentNonces } from "../../../services/core/payment-nonces.js";

/**
 * The wallet's EIP-3009 nonce sequence, kept in localStorage so a reload never reuses one (a reused nonce is
 * refused on chain, so a repeat would fail, not pay twice). Not a secret: nonces are public once used.
 */
export function takeNonce(address: string): string {
  const key = `recircle.nonces.${address}`;
  const stored = localStorage.getItem(key);
  const nonces = new PaymentNonces(stored ? (JSON.parse(stored) as { prefix: string; next: number }) : undefined);
  const nonce = nonces.take();
  localStorage.setItem(key, JSON.stringify(nonces.state()));
  return nonce;
}
