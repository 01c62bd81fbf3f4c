import type { JsonRpcProvider } from "ethers";
import { type Fees, reserveFor } from "../core/fees.js";

/** A send checks the balance at most this often: a balance falls by one transaction's fee at a time. */
const CHECK_MS = 15_000;

/**
 * What the signer has left to pay gas with: read for the metrics on each scrape, and after sends, when it would
 * not pay `lowBalanceTransactions` more transactions like the recent ones at the fees paid now, a warning
 * (once, until it is topped up).
 */
export class SignerBalance {
  private low = false;
  private checkedAt = 0;
  /** The gas limit of recent sends, smoothed: what the next transactions will likely reserve. */
  private typicalGas = 0n;

  constructor(
    private readonly provider: JsonRpcProvider,
    private readonly address: string,
    private readonly policy: { lowBalanceTransactions: number; log?: Pick<Console, "info" | "warn"> },
  ) {}

  /** The balance in wei, from the node now. */
  read(): Promise<bigint> {
    return this.provider.getBalance(this.address);
  }

  get isLow(): boolean {
    return this.low;
  }

  /** A transaction left with `gasLimit` at `fees`: checks the balance if it has not been checked lately. */
  sent(gasLimit: bigint | number, fees: Fees): void {
    const gas = BigInt(gasLimit);
    this.typicalGas = this.typicalGas === 0n ? gas : (this.typicalGas * 3n + gas) / 4n;
    if (Date.now() - this.checkedAt < CHECK_MS) return;
    this.checkedAt = Date.now();
    this.check(fees).catch(() => {}); // a failed read is retried by the next send; the scrape reads it too
  }

  async check(fees: Fees): Promise<boolean> {
    const balance = await this.read();
    const reserve = reserveFor(this.policy.lowBalanceTransactions, this.typicalGas, fees);
    const low = balance < reserve;
    if (low && !this.low) {
      this.policy.log?.warn(
        { signer: this.address, balanceWei: String(balance), reserveWei: String(reserve), transactions: this.policy.lowBalanceTransactions },
        "the signer's balance would not pay for the next transactions at current fees; top it up",
      );
    } else if (!low && this.low) {
      this.policy.log?.info({ signer: this.address, balanceWei: String(balance) }, "the signer's balance is enough again");
    }
    this.low = low;
    return low;
  }
}
