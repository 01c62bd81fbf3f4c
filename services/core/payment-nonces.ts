import { getBytes, hexlify } from "ethers";

/** Web Crypto's randomness: the same call on a phone and in Node. */
const randomBytes = (length: number) => crypto.getRandomValues(new Uint8Array(length));

/**
 * EIP-3009 nonces for one wallet. The token keeps used nonces as a bitmap of 256 per word, so nonces that
 * share a random 31-byte prefix and differ in the last byte share one storage word: the first payment of a
 * prefix creates the word (~20k gas), the next 255 only flip a bit (~3k). Order does not matter, so vouchers
 * signed offline settle in any order. After 256 nonces the sequence draws a new random prefix.
 */
export class PaymentNonces {
  private prefix: Uint8Array;
  private next: number;

  constructor(state?: { prefix: string; next: number }) {
    this.prefix = state ? getBytes(`0x${state.prefix.replace(/^0x/, "")}`) : randomBytes(31);
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
    const nonce = new Uint8Array(32);
    nonce.set(this.prefix);
    nonce[31] = this.next++;
    return hexlify(nonce);
  }

  /** What to persist (on a phone, with the key) to continue the sequence later. */
  state(): { prefix: string; next: number } {
    return { prefix: hexlify(this.prefix), next: this.next };
  }
}
