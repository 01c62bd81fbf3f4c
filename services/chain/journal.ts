import { Transaction, type TransactionRequest } from "ethers";
import { familyOf, recordSigned, signedFrom } from "../db/signed-transactions.js";
import type { Sql } from "../db/sql.js";
import type { Signed } from "./in-flight.js";

/**
 * A signer's journal of signed transactions (migration 012), as the writer reads and writes it: every
 * transaction kept before it is broadcast, so recovery finds a row's whole family and a lost one can be sent
 * again as the same bytes.
 */
export class Journal {
  constructor(
    private readonly sql: Sql,
    private readonly signer: string,
  ) {}

  record(nonce: number, { hash, raw, fees, origin }: Signed): Promise<void> {
    return recordSigned(this.sql, { hash, signer: this.signer, nonce, originalHash: origin, raw, ...fees });
  }

  /** The hashes of `hash`'s family (it and its replacements); just `hash` when the journal never saw it. */
  async familyHashes(hash: string): Promise<string[]> {
    const family = await familyOf(this.sql, hash);
    return family.length > 0 ? family.map((signed) => signed.hash) : [hash];
  }

  /**
   * What may still be waiting to mine at nonces from `latest` on, as signed: per nonce, the family signed last
   * (a nonce signed for two rows, the first refused at broadcast, can only carry the newer one).
   */
  async unmined(latest: number): Promise<Map<number, Signed[]>> {
    const byNonce = new Map<number, Signed[]>();
    for (const row of await signedFrom(this.sql, this.signer, latest)) {
      const parsed = Transaction.from(row.raw);
      const request: TransactionRequest = {
        type: 2, chainId: parsed.chainId, from: this.signer, to: parsed.to, data: parsed.data, value: parsed.value,
        gasLimit: parsed.gasLimit, nonce: row.nonce,
      };
      const filler = parsed.to?.toLowerCase() === this.signer.toLowerCase() && parsed.data === "0x" && parsed.value === 0n;
      const fees = { maxFeePerGas: row.maxFeePerGas, maxPriorityFeePerGas: row.maxPriorityFeePerGas };
      const signed: Signed = { hash: row.hash, raw: row.raw, fees, request, origin: row.originalHash, ...(filler ? { filler } : {}) };
      byNonce.set(row.nonce, [...(byNonce.get(row.nonce) ?? []), signed]);
    }
    for (const [nonce, all] of byNonce) {
      const origin = all.at(-1)!.origin;
      byNonce.set(nonce, all.filter((signed) => signed.origin === origin));
    }
    return byNonce;
  }
}
