import { randomBytes } from "node:crypto";

/**
 * EIP-3009 nonces for one wallet. The token keeps used nonces as a bitmap of 256 per word, so nonces that
 * share a random 31-byte prefix and differ in the last byte share one storage word: the first payment of a
 * prefix creates the word (~20k gas), the next 255 only flip a bit (~3k). Order does not matter, so vouchers
 * signed offline settle in any order. After 256 nonces the sequence draws a new random prefix.
 */
export class PaymentNonces {
  private prefix: Buffer;
  private next: number;

  constructor(state?: { prefix: string; next: number }) {
    this.prefix = state ? Buffer.from(state.prefix.replace(/^0x/, ""), "hex") : randomBytes(31);
    this.next = state?.next ?? 0;
    if (this.prefix.length !== 31 || !Number.isInteger(this.next) || this.next < 0 || this.next > 256) {
      throw new Error("a nonce sequence is a 31-byte prefix and a next index from 0 to 256");
    }
  }

  /** The next unused nonce, as 0x-prefixed 32-byte hex. */
  take(): string {
    if (this.next === 256) {
      this.prefix = randomBytes(31);
      this.next = 0;
    }
    const nonce = Buffer.concat([this.prefix, Buffer.from([this.next++])]);
    return `0x${nonce.toString("hex")}`;
  }

  /** What to persist (on a phone, with the key) to continue the sequence later. */
  state(): { prefix: string; next: number } {
    return { prefix: `0x${this.prefix.toString("hex")}`, next: this.next };
  }
}
