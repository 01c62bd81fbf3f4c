/**
 * A sponsor's fund-flow report, built from plain event lists so that the API (events from chain_events and
 * the events table) and scripts/verify-fund-flow.ts (events from any RPC node) compute it with one function.
 * Amounts live as bigint base units here and leave as decimal strings through `presentFundFlow`.
 */

/** Where a figure comes from: the log that states it. */
export interface LogRef {
  txHash: string;
  blockNumber: number;
  logIndex: number;
}
export interface DepositedLog extends LogRef {
  depositId: bigint;
  program: string;
  sponsor: string;
  amount: bigint;
}
export interface RedeemedLog extends LogRef {
  redemptionId: bigint;
  program: string;
  retailer: string;
  tokens: bigint;
  gross: bigint;
  fee: bigint;
}
export interface DepositDrawnLog extends LogRef {
  redemptionId: bigint;
  depositId: bigint;
  sponsor: string;
  amount: bigint;
}
/**
 * The vault's withdrawal logs for a deposit: WithdrawalAnnounced (with the unix time it becomes withdrawable),
 * WithdrawalCancelled, and Withdrawn (with what went back to the sponsor).
 */
export type WithdrawalLog = LogRef & { depositId: bigint } & (
    | { kind: "announced"; withdrawableAt: bigint }
    | { kind: "cancelled" }
    | { kind: "withdrawn"; amount: bigint }
  );
export interface CreditedLog extends LogRef {
  /** The program's token: the log's address. */
  program: string;
  eventId: bigint;
  to: string;
  amount: bigint;
}
/** A confirmed reversal of a credit (migration 005): the transaction whose CreditReversed log clawed it back. */
export interface ReversalRef {
  txHash: string;
  blockNumber: number;
}
/**
 * What only the database knows about a credited collection. A delayed bonus (migration 007) is detailed as
 * the collection it completes: that collection's material, point and time, `bonusOf` its event id, and 0
 * grams (the drop-off's weight is counted once, on its base credit).
 */
export interface CollectionDetail {
  eventId: bigint;
  material: string;
  grams: bigint;
  point: string;
  collectedAt: Date;
  bonusOf?: bigint | undefined;
  /** Set when the credit was reversed (status 'confirmed') by the report's last block. */
  reversal?: ReversalRef | undefined;
}
/** The vault's `solvency(program)` view at the report's last block. */
export interface SolvencyReading {
  program: string;
  outstandingValue: bigint;
  depositsLeft: bigint;
}

export interface FundFlowInput {
  sponsor: string;
  fromBlock: number;
  toBlock: number;
  deposited: DepositedLog[];
  redeemed: RedeemedLog[];
  drawn: DepositDrawnLog[];
  /** Withdrawal logs of any deposits (the core keeps those of the sponsor's deposits, up to toBlock). */
  withdrawals: WithdrawalLog[];
  credited: CreditedLog[];
  collections: CollectionDetail[];
  solvency: SolvencyReading[];
}

export interface Draw extends LogRef {
  redemptionId: bigint;
  retailer: string;
  amount: bigint;
  fee: bigint;
}
/**
 * A deposit's withdrawal as it stands at the report's last block: announced (the log and when it becomes
 * withdrawable; redemptions may still draw on it until then), and once withdrawn, the Withdrawn log and what
 * went back to the sponsor. A cancelled announcement leaves no withdrawal.
 */
export interface DepositWithdrawal {
  announced: LogRef;
  withdrawableAt: bigint;
  withdrawn?: (LogRef & { amount: bigint }) | undefined;
}
export interface DepositLine extends LogRef {
  depositId: bigint;
  program: string;
  amount: bigint;
  drawn: bigint;
  /** Paid back to the sponsor by a withdrawal (zero when none). */
  withdrawn: bigint;
  /** amount − drawn − withdrawn. */
  left: bigint;
  draws: Draw[];
  withdrawal: DepositWithdrawal | undefined;
}
export interface Credit extends LogRef {
  eventId: bigint;
  material: string;
  point: string;
  week: string;
  grams: bigint;
  tokens: bigint;
  /** A bonus credit: the collection event it completes. */
  bonusOf?: bigint | undefined;
  /** The credit was clawed back: it stays listed (its Credited log is on chain) with the reversal's transaction. */
  reversal?: ReversalRef | undefined;
}
export interface ProgramLine {
  program: string;
  solvency: SolvencyReading | undefined;
  credits: Credit[];
}
export interface FundFlow {
  sponsor: string;
  fromBlock: number;
  toBlock: number;
  deposits: DepositLine[];
  programs: ProgramLine[];
}

const same = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();
const inRange = (log: LogRef, from: number, to: number) => log.blockNumber >= from && log.blockNumber <= to;
const chainOrder = (a: LogRef, b: LogRef) => a.blockNumber - b.blockNumber || a.logIndex - b.logIndex;

/**
 * A redemption's fee split over the deposits it drew (largest remainder, in integers): each draw first gets
 * floor(fee × drawn / gross); the units of fee still unassigned (fewer than the draws) go one each to the
 * draws with the largest remainders (fee × drawn mod gross), the earlier log first on a tie. The shares add
 * up to the Redeemed log's fee exactly, and none exceeds ceil(fee × drawn / gross) ≤ drawn (the fee is at
 * most the gross): a tiny last draw of a FIFO walk is never charged more than it paid.
 */
export function splitFee(fee: bigint, gross: bigint, draws: bigint[]): bigint[] {
  if (gross === 0n) return draws.map(() => 0n);
  const shares = draws.map((drawn) => (fee * drawn) / gross);
  let unassigned = fee - shares.reduce((sum, share) => sum + share, 0n);
  const byRemainder = draws
    .map((drawn, i) => ({ i, remainder: (fee * drawn) % gross }))
    .sort((a, b) => (a.remainder === b.remainder ? a.i - b.i : a.remainder > b.remainder ? -1 : 1));
  for (const { i } of byRemainder) {
    if (unassigned <= 0n) break;
    shares[i]! += 1n;
    unassigned -= 1n;
  }
  return shares;
}

/** ISO 8601 week of a UTC instant, e.g. "2026-W48" (weeks start on Monday; week 1 holds the first Thursday). */
export function isoWeek(at: Date): string {
  const day = new Date(Date.UTC(at.getUTCFullYear(), at.getUTCMonth(), at.getUTCDate()));
  const weekday = day.getUTCDay() || 7;
  day.setUTCDate(day.getUTCDate() + 4 - weekday); // the Thursday of this week decides its year
  const yearStart = Date.UTC(day.getUTCFullYear(), 0, 1);
  const week = Math.ceil(((day.getTime() - yearStart) / 86_400_000 + 1) / 7);
  return `${day.getUTCFullYear()}-W${String(week).padStart(2, "0")}`;
}

/**
 * The report over blocks [fromBlock, toBlock]: the sponsor's deposits made in the range with every draw on
 * them up to toBlock, and, for each program the sponsor funded there, the collections credited in the range.
 * Credited logs without a collection detail (loyalty credits) are not collections and are left out. A
 * bonus's credit is listed under its collection's material, point and week with 0 grams; a reversed credit
 * stays listed (its Credited log is on chain) and carries its reversal.
 */
export function buildFundFlow(input: FundFlowInput): FundFlow {
  const { fromBlock, toBlock } = input;
  const deposits = input.deposited
    .filter((d) => same(d.sponsor, input.sponsor) && inRange(d, fromBlock, toBlock))
    .sort(chainOrder);
  const redemptions = new Map(input.redeemed.map((r) => [r.redemptionId, r]));
  const drawsByRedemption = groupBy(
    input.drawn.filter((d) => d.blockNumber <= toBlock).sort(chainOrder),
    (d) => d.redemptionId,
  );
  // Each draw's fee share, computed over all of its redemption's draws, other sponsors' too.
  const feeOf = new Map<string, bigint>();
  for (const [redemptionId, draws] of drawsByRedemption) {
    const redemption = redemptions.get(redemptionId);
    const shares = splitFee(redemption?.fee ?? 0n, redemption?.gross ?? 0n, draws.map((d) => d.amount));
    draws.forEach((d, i) => feeOf.set(`${d.txHash}:${d.logIndex}`, shares[i]!));
  }
  const withdrawals = groupBy(
    input.withdrawals.filter((w) => w.blockNumber <= toBlock).sort(chainOrder),
    (w) => w.depositId,
  );
  const drawsOf = (depositId: bigint) =>
    [...drawsByRedemption.values()].flat().filter((d) => d.depositId === depositId).sort(chainOrder);

  const lines: DepositLine[] = deposits.map((d) => {
    const draws: Draw[] = drawsOf(d.depositId).map((draw) => ({
      redemptionId: draw.redemptionId,
      retailer: redemptions.get(draw.redemptionId)?.retailer ?? "",
      amount: draw.amount,
      fee: feeOf.get(`${draw.txHash}:${draw.logIndex}`) ?? 0n,
      txHash: draw.txHash,
      blockNumber: draw.blockNumber,
      logIndex: draw.logIndex,
    }));
    const drawn = draws.reduce((sum, draw) => sum + draw.amount, 0n);
    const withdrawal = withdrawalOf(withdrawals.get(d.depositId) ?? []);
    const withdrawn = withdrawal?.withdrawn?.amount ?? 0n;
    return {
      ...pickRef(d),
      depositId: d.depositId,
      program: d.program,
      amount: d.amount,
      drawn,
      withdrawn,
      left: d.amount - drawn - withdrawn,
      draws,
      withdrawal,
    };
  });

  const details = new Map(input.collections.map((c) => [c.eventId, c]));
  const programs = [...new Set(lines.map((l) => l.program.toLowerCase()))].map((lower): ProgramLine => {
    const program = lines.find((l) => l.program.toLowerCase() === lower)!.program;
    const credits = input.credited
      .filter((c) => same(c.program, program) && inRange(c, fromBlock, toBlock) && details.has(c.eventId))
      .sort(chainOrder)
      .map((c) => {
        const detail = details.get(c.eventId)!;
        const { material, point, grams, bonusOf, reversal } = detail;
        const week = isoWeek(detail.collectedAt);
        return { ...pickRef(c), eventId: c.eventId, material, point, grams, week, tokens: c.amount, bonusOf, reversal };
      });
    return { program, solvency: input.solvency.find((s) => same(s.program, program)), credits };
  });
  return { sponsor: input.sponsor, fromBlock, toBlock, deposits: lines, programs };
}

/** A deposit's withdrawal from its withdrawal logs in chain order: the last announcement not cancelled, and its end. */
export function withdrawalOf(logs: WithdrawalLog[]): DepositWithdrawal | undefined {
  let withdrawal: DepositWithdrawal | undefined;
  for (const log of logs) {
    if (log.kind === "announced") withdrawal = { announced: pickRef(log), withdrawableAt: log.withdrawableAt };
    else if (log.kind === "cancelled") withdrawal = undefined;
    else if (withdrawal) withdrawal = { ...withdrawal, withdrawn: { ...pickRef(log), amount: log.amount } };
  }
  return withdrawal;
}

/** Map.groupBy, which the es2023 lib this project targets does not declare. */
export function groupBy<T, K>(items: T[], keyOf: (item: T) => K): Map<K, T[]> {
  const groups = new Map<K, T[]>();
  for (const item of items) {
    const key = keyOf(item);
    const group = groups.get(key);
    if (group) group.push(item);
    else groups.set(key, [item]);
  }
  return groups;
}

const pickRef = (log: LogRef): LogRef => ({ txHash: log.txHash, blockNumber: log.blockNumber, logIndex: log.logIndex });
