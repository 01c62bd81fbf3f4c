import { type JsonRpcProvider, toQuantity } from "ethers";
import { feesFromHistory, type MarketFees } from "../core/fees.js";

/** Blocks of history read: enough for a stable median tip, few enough to follow a spike within seconds. */
const HISTORY_BLOCKS = 10;
/** The reward percentile taken as a block's tip: the middle of what its transactions paid. */
const TIP_PERCENTILE = 50;
/** With no busy block to learn from and no suggestion from the node: ethers' own default tip. */
const DEFAULT_TIP = 1_000_000_000n;
/** One read serves every send for this long: a block's worth of sends need not each ask again. */
const FRESH_MS = 1_000;

/**
 * The market's EIP-1559 fees from the node (`eth_feeHistory` over the last blocks, the median reward at the
 * 50th percentile as the tip); the arithmetic is core/fees.ts's.
 */
export class FeeMarket {
  private last: { at: number; fees: Promise<MarketFees> } | undefined;

  constructor(private readonly provider: JsonRpcProvider) {}

  read(): Promise<MarketFees> {
    if (this.last && Date.now() - this.last.at < FRESH_MS) return this.last.fees;
    const fees = this.readNow();
    this.last = { at: Date.now(), fees };
    fees.catch(() => (this.last = undefined));
    return fees;
  }

  private async readNow(): Promise<MarketFees> {
    const history = (await this.provider.send("eth_feeHistory", [toQuantity(HISTORY_BLOCKS), "latest", [TIP_PERCENTILE]])) as {
      baseFeePerGas: string[];
      gasUsedRatio: number[];
      reward?: string[][];
    };
    const parsed = {
      baseFeePerGas: history.baseFeePerGas.map(BigInt),
      gasUsedRatio: history.gasUsedRatio,
      reward: (history.reward ?? []).map((rewards) => BigInt(rewards[0] ?? 0)),
    };
    const idle = parsed.gasUsedRatio.every((ratio) => ratio === 0);
    return feesFromHistory(parsed, idle ? await this.suggestedTip() : DEFAULT_TIP);
  }

  private async suggestedTip(): Promise<bigint> {
    try {
      return BigInt((await this.provider.send("eth_maxPriorityFeePerGas", [])) as string);
    } catch {
      return DEFAULT_TIP;
    }
  }
}
