import type { JsonRpcProvider } from "ethers";
import type { Sql } from "../../services/db/sql.js";
import { RewardToken__factory } from "../../types/ethers-contracts/index.js";
import type { AcceptedPayment } from "./load.js";
import type { AcceptedEvent } from "./scene.js";

export interface Audit {
  events: {
    accepted: number;
    /** Accepted events with exactly one Credited log, to the right holder, of the right amount. */
    credited: number;
    /** Credited more than once, credited without being accepted, or recorded twice for one Idempotency-Key. */
    duplicates: number;
    /** Accepted and never credited, or credited wrongly. */
    lost: number;
  };
  sums: { accepted: bigint; credited: bigint; supply: bigint };
  payments: {
    accepted: number;
    /** Confirmed, with exactly one AuthorizationUsed on chain, in the transaction the database names. */
    settled: number;
    /** Failed with a reason, and its nonce unused on chain. */
    failed: number;
    /** How many failed with each reason. */
    reasons: Record<string, number>;
    duplicates: number;
    lost: number;
  };
  /** Every difference, one line each (the first few of each kind). */
  problems: string[];
}

/**
 * Checks what was accepted against the chain itself (Credited, AuthorizationUsed and Transfer logs read
 * from the node), with the database only to find each payment's status, reason and transaction.
 */
export async function audit(
  provider: JsonRpcProvider,
  sql: Sql,
  options: { token: string; fromBlock: number; events: AcceptedEvent[]; payments: AcceptedPayment[]; retailers: string[] },
): Promise<Audit> {
  const problems: string[] = [];
  const report = (kind: string, list: string[]) => {
    if (list.length > 0) problems.push(`${kind} (${list.length}): ${list.slice(0, 5).join("; ")}${list.length > 5 ? "; …" : ""}`);
  };
  const token = RewardToken__factory.connect(options.token, provider);

  // Events: one Credited log per accepted id, to its beneficiary, of its credit; no other Credited log.
  const creditedLogs = await token.queryFilter(token.filters.Credited(), options.fromBlock);
  const logsById = new Map<bigint, { to: string; amount: bigint; txHash: string }[]>();
  for (const log of creditedLogs) {
    const list = logsById.get(log.args.eventId) ?? [];
    list.push({ to: log.args.to, amount: log.args.amount, txHash: log.transactionHash });
    logsById.set(log.args.eventId, list);
  }
  const accepted = new Map(options.events.map((e) => [BigInt(e.id), e]));
  const lost: string[] = [];
  const doubled: string[] = [];
  let credited = 0;
  for (const [id, event] of accepted) {
    const logs = logsById.get(id) ?? [];
    if (logs.length === 0) lost.push(`event ${id} never credited`);
    else if (logs.length > 1) doubled.push(`event ${id} credited ${logs.length} times`);
    else if (logs[0]!.to.toLowerCase() !== event.beneficiary.toLowerCase() || logs[0]!.amount !== event.credit) {
      lost.push(`event ${id} credited ${logs[0]!.amount} to ${logs[0]!.to}, accepted as ${event.credit} to ${event.beneficiary}`);
    } else credited++;
  }
  for (const [id, logs] of logsById) if (!accepted.has(id)) doubled.push(`event ${id} credited ${logs.length}× but never accepted`);
  if (accepted.size !== options.events.length) doubled.push(`${options.events.length - accepted.size} answers named an event id already answered`);
  // A retry that slipped past its Idempotency-Key would leave a second row even if it is not minted yet.
  const [rows] = await sql<{ events: number }[]>`select count(*)::int as events from events`;
  if (rows!.events !== accepted.size) doubled.push(`${rows!.events} events recorded for ${accepted.size} accepted`);
  report("events lost", lost);
  report("events doubled", doubled);
  // The database says what the chain says: each credited event confirmed, in the transaction that credited it
  // (a reorganisation or a replaced transaction must not leave a row naming a hash the chain does not hold).
  const statuses = await sql<{ id: string; status: string; txHash: string | null }[]>`
    select id::text, status, tx_hash as "txHash" from events`;
  const disagree: string[] = [];
  for (const row of statuses) {
    const logs = logsById.get(BigInt(row.id));
    if (!logs || logs.length !== 1) continue;
    if (row.status !== "confirmed") disagree.push(`event ${row.id} is ${row.status}, credited on chain in ${logs[0]!.txHash}`);
    else if (row.txHash?.toLowerCase() !== logs[0]!.txHash.toLowerCase()) disagree.push(`event ${row.id} confirmed in ${row.txHash}, credited on chain in ${logs[0]!.txHash}`);
  }
  report("events whose row disagrees with the chain", disagree);

  const acceptedSum = options.events.reduce((sum, e) => sum + e.credit, 0n);
  const creditedSum = creditedLogs.reduce((sum, log) => sum + log.args.amount, 0n);
  const supply = await token.totalSupply();
  if (creditedSum !== acceptedSum || supply !== acceptedSum) {
    problems.push(`sums: accepted ${acceptedSum}, credited on chain ${creditedSum}, total supply ${supply}`);
  }

  // Payments: confirmed once on chain (its nonce used once, in its recorded transaction), or failed with a reason.
  const usedLogs = await token.queryFilter(token.filters.AuthorizationUsed(), options.fromBlock);
  const used = new Map<string, string[]>();
  for (const log of usedLogs) {
    const key = `${log.args.authorizer.toLowerCase()}:${log.args.nonce.toLowerCase()}`;
    used.set(key, [...(used.get(key) ?? []), log.transactionHash]);
  }
  const dbRows = await sql<{ payer: string; nonce: string; status: string; reason: string | null; txHash: string | null; value: string }[]>`
    select payer, nonce, status, failure_reason as reason, tx_hash as "txHash", value::text as value from payments`;
  const byKey = new Map(dbRows.map((r) => [`${r.payer.toLowerCase()}:${r.nonce.toLowerCase()}`, r]));
  const paymentsLost: string[] = [];
  const paymentsDoubled: string[] = [];
  let settled = 0;
  let failed = 0;
  const reasons: Record<string, number> = {};
  const owed = new Map<string, bigint>();
  const acceptedKeys = new Set<string>();
  for (const payment of options.payments) {
    const key = `${payment.payer.toLowerCase()}:${payment.nonce.toLowerCase()}`;
    if (acceptedKeys.has(key)) paymentsDoubled.push(`${key} accepted twice`);
    acceptedKeys.add(key);
    const row = byKey.get(key);
    const txs = used.get(key) ?? [];
    if (txs.length > 1) paymentsDoubled.push(`${key} used ${txs.length} times on chain`);
    if (!row) paymentsLost.push(`${key} accepted but not stored`);
    else if (row.status === "confirmed") {
      if (txs.length === 0) paymentsLost.push(`payment ${key} confirmed in the database, never used on chain`);
      else if (txs[0] !== row.txHash) paymentsLost.push(`payment ${key} confirmed in ${row.txHash}, used on chain in ${txs[0]}`);
      else {
        settled++;
        const payee = payment.payee.toLowerCase();
        owed.set(payee, (owed.get(payee) ?? 0n) + BigInt(row.value));
      }
    } else if (row.status === "failed") {
      if (!row.reason) paymentsLost.push(`payment ${key} failed without a reason`);
      else if (txs.length > 0) paymentsDoubled.push(`payment ${key} failed (${row.reason}) but used on chain`);
      else {
        failed++;
        reasons[row.reason] = (reasons[row.reason] ?? 0) + 1;
      }
    } else paymentsLost.push(`payment ${key} still ${row.status}`);
  }
  for (const key of used.keys()) if (!acceptedKeys.has(key)) paymentsDoubled.push(`${key} used on chain but never accepted`);
  if (dbRows.length !== acceptedKeys.size) paymentsDoubled.push(`${dbRows.length} payments stored for ${acceptedKeys.size} accepted`);
  // Nothing reaches a retailer but these payments: each balance is what its confirmed payments owe it.
  for (const retailer of options.retailers) {
    const balance = await token.balanceOf(retailer);
    const expected = owed.get(retailer.toLowerCase()) ?? 0n;
    if (balance > expected) paymentsDoubled.push(`retailer ${retailer} holds ${balance}, owed ${expected}`);
    if (balance < expected) paymentsLost.push(`retailer ${retailer} holds ${balance}, owed ${expected}`);
  }
  report("payments lost", paymentsLost);
  report("payments doubled", paymentsDoubled);

  return {
    events: { accepted: accepted.size, credited, duplicates: doubled.length, lost: lost.length },
    sums: { accepted: acceptedSum, credited: creditedSum, supply },
    payments: { accepted: options.payments.length, settled, failed, reasons, duplicates: paymentsDoubled.length, lost: paymentsLost.length },
    problems,
  };
}
