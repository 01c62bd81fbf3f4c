import type { TransactionReceipt } from "ethers";
import { formatTokenAmount } from "../../services/core/amounts.js";
import type { PaymentFigures } from "./payment-rate.js";
import { PAYMENT_LOAD, type PaymentScene, type Planned } from "./payment-scene.js";
import type { Bench } from "./setup.js";
import type { Check } from "./verify.js";

const keyOf = (payer: string, nonce: string) => `${payer.toLowerCase()}:${nonce.toLowerCase()}`;
/** The 31-byte prefix of a nonce: the storage word it shares with the 255 others of its PaymentNonces sequence. */
const prefixOf = (nonce: string) => nonce.toLowerCase().slice(0, 64);

/**
 * Gas from the batch receipts. A payment that opens its nonce word (the payer's first of a prefix) pays the
 * 20k of a fresh slot; the others flip a bit. Estimated: the later ones at the mean of the batches that open
 * no word, the first ones at what the batches that do open words cost beyond that, per word opened.
 */
export function batchGas(rows: { payer: string; nonce: string; txHash: string; blockNumber: bigint }[], receipts: Map<string, TransactionReceipt>) {
  // Which transaction opened each (payer, prefix) word: the earliest that carried one of its nonces.
  const opened = new Map<string, { block: bigint; txHash: string }>();
  for (const row of rows) {
    const key = `${row.payer.toLowerCase()}:${prefixOf(row.nonce)}`;
    const first = opened.get(key);
    if (first === undefined || row.blockNumber < first.block) opened.set(key, { block: row.blockNumber, txHash: row.txHash });
  }
  const opensIn = new Map<string, number>();
  for (const { txHash } of opened.values()) opensIn.set(txHash, (opensIn.get(txHash) ?? 0) + 1);
  let gas = 0n;
  const later = { gas: 0n, payments: 0 };
  const withFirsts = { gas: 0n, payments: 0, firsts: 0 };
  const sizes = new Map<string, number>();
  for (const row of rows) sizes.set(row.txHash, (sizes.get(row.txHash) ?? 0) + 1);
  for (const [hash, size] of sizes) {
    const receipt = receipts.get(hash)!;
    gas += receipt.gasUsed;
    const firsts = opensIn.get(hash) ?? 0;
    const bucket = firsts === 0 ? later : withFirsts;
    bucket.gas += receipt.gasUsed;
    bucket.payments += size;
    if (firsts > 0) withFirsts.firsts += firsts;
  }
  const laterEach = later.payments > 0 ? Number(later.gas) / later.payments : null;
  const firstEach =
    laterEach !== null && withFirsts.firsts > 0
      ? laterEach + (Number(withFirsts.gas) - laterEach * withFirsts.payments) / withFirsts.firsts
      : null;
  return {
    gasPerPayment: Number(gas) / rows.length,
    gasFirstOfPrefix: firstEach,
    gasLaterOfPrefix: laterEach,
    firstOfPrefixPayments: opened.size,
    batchSizes: [...sizes.values()],
  };
}

/** Every payment confirmed exactly once, on chain as in the database, and the tokens where they should be. */
export async function verifyPayments(
  bench: Bench,
  scene: PaymentScene,
  run: {
    planned: Planned[];
    naivePlanned: Planned[];
    rows: { payer: string; nonce: string; txHash: string; value: string; status: string }[];
    receipts: Map<string, TransactionReceipt>;
    pendingBefore: number;
    jobs: Record<string, number>;
    figures: PaymentFigures;
  },
): Promise<Check[]> {
  const { planned, naivePlanned, rows, receipts, figures } = run;
  const token = bench.chain.token(scene.token);
  const checks: Check[] = [];

  checks.push({
    check: "pay: every payment accepted 202, one row each",
    ok: figures.accept.non202 === 0 && run.pendingBefore === planned.length && rows.length === planned.length,
    detail: `${JSON.stringify(figures.accept.statusCodes)}, ${run.pendingBefore} pending rows before the worker` +
      (figures.accept.failures.length > 0 ? `; ${figures.accept.failures.join(" | ")}` : ""),
  });
  const confirmed = rows.filter((r) => r.status === "confirmed").length;
  checks.push({
    check: "pay: every payment confirmed",
    ok: confirmed === planned.length && rows.every((r) => receipts.get(r.txHash)?.status === 1),
    detail: `${confirmed} of ${planned.length} confirmed in ${figures.settle.batches} batches`,
  });
  const { completed = 0, failed = 0 } = run.jobs;
  checks.push({
    check: "pay: every job completed, worker logged no error",
    ok: completed === planned.length && failed === 0 && figures.settle.workerErrors.length === 0,
    detail: `${JSON.stringify(run.jobs)}; ${figures.settle.workerErrors.join("; ") || "no errors"}`,
  });

  // The token's own record: AuthorizationUsed once per payment (batched and naive), nothing skipped.
  const used = await token.queryFilter(token.filters.AuthorizationUsed(), scene.fundBlock);
  const skipped = await token.queryFilter(token.filters.AuthorizationSkipped(), scene.fundBlock);
  const expected = new Set([...planned, ...naivePlanned].map((p) => keyOf(p.signed.from, p.signed.nonce)));
  const seen = new Map<string, number>();
  for (const event of used) {
    const key = keyOf(event.args.authorizer, event.args.nonce);
    seen.set(key, (seen.get(key) ?? 0) + 1);
  }
  const twice = [...seen.values()].filter((n) => n > 1).length;
  const missing = [...expected].filter((key) => !seen.has(key)).length;
  // Each database row's transaction is the one whose receipt carries its AuthorizationUsed.
  const inReceipt = new Set<string>();
  for (const receipt of receipts.values()) {
    for (const entry of receipt.logs) {
      const parsed = token.interface.parseLog(entry);
      if (parsed?.name === "AuthorizationUsed") inReceipt.add(`${receipt.hash}:${keyOf(parsed.args.authorizer, parsed.args.nonce)}`);
    }
  }
  const misattributed = rows.filter((r) => !inReceipt.has(`${r.txHash}:${keyOf(r.payer, r.nonce)}`)).length;
  checks.push({
    check: "pay: AuthorizationUsed once per payment",
    ok: used.length === expected.size && twice === 0 && missing === 0 && skipped.length === 0 && misattributed === 0,
    detail: `${used.length} logs for ${expected.size} payments (${planned.length} batched + ${naivePlanned.length} naive), ` +
      `${missing} missing, ${twice} twice, ${skipped.length} skipped, ${misattributed} rows not in their receipt`,
  });

  const paid = [...planned, ...naivePlanned].reduce((sum, p) => sum + p.signed.value, 0n);
  const inDatabase = rows.reduce((sum, r) => sum + BigInt(r.value), 0n) + naivePlanned.reduce((sum, p) => sum + p.signed.value, 0n);
  const retailerBalances = (await Promise.all(scene.retailers.map((r) => token.balanceOf(r)))).reduce((a, b) => a + b, 0n);
  const collectorBalances = (await Promise.all(scene.collectors.map((c) => token.balanceOf(c.wallet.address)))).reduce((a, b) => a + b, 0n);
  const minted = PAYMENT_LOAD.fundEach * BigInt(scene.collectors.length);
  const supply = await token.totalSupply();
  checks.push({
    check: "pay: retailers received the sum paid",
    ok: retailerBalances === paid && inDatabase === paid,
    detail: `retailers hold ${formatTokenAmount(retailerBalances)}, paid ${formatTokenAmount(paid)}, database ${formatTokenAmount(inDatabase)}`,
  });
  checks.push({
    check: "pay: collectors hold minted − paid",
    ok: collectorBalances === minted - paid && supply === minted,
    detail: `collectors ${formatTokenAmount(collectorBalances)}, minted ${formatTokenAmount(minted)}, supply ${formatTokenAmount(supply)}`,
  });
  return checks;
}
