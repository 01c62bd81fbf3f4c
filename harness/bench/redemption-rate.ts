import { parseUnits, Signature, Wallet, type TransactionReceipt } from "ethers";
import { PERMIT_TYPES } from "../../services/chain/eip2612.js";
import { rewardTokenDomain } from "../../services/chain/eip3009.js";
import { type Chain, DEV_WORKER_KEYS } from "../../services/chain/network.js";
import { formatTokenAmount } from "../../services/core/amounts.js";
import { startRedemptionWorker } from "../../services/queue/redemption-worker.js";
import { TestStablecoin__factory } from "../../types/ethers-contracts/index.js";
import { DEV_GOVERNANCE_KEY } from "../../scripts/dev-network.js";
import { ApiError } from "../../services/api/client/index.js";
import { eachLimited } from "../lib/each-limited.js";
import { adminApi } from "./fixtures.js";
import { startApi } from "./http-accept.js";
import { row, type Row } from "./report.js";
import type { Bench } from "./setup.js";
import type { Check } from "./verify.js";
import { timeWorker } from "./worker-run.js";

export const REDEMPTION_LOAD = {
  /** Retailers of the phase's program, each redeeming once through the API (one open redemption each). */
  retailers: 250,
  /** REDEMPTION_BATCH_MAX (also the worker's concurrency) and REDEMPTION_BATCH_MS of the measured worker. */
  batchMax: 50,
  batchMs: 200,
  /** POST /v1/redemptions in flight. */
  acceptConcurrency: 16,
  /** Then this many of them redeem again, one redeemWithPermit per transaction, each awaited. */
  naiveRedemptions: 50,
  /** Tokens minted to each retailer; it redeems 1 to 10 of them, then 5 the naive way. */
  fundEach: 20n * 10n ** 18n,
  /** Sponsor deposits (tUSD) for the program: the batched redemptions draw across all of them, oldest first. */
  deposits: ["4", "4", "4", "4", "4"],
  timeoutMs: 120_000,
} as const;

export interface RedemptionFigures {
  redemptions: number;
  accept: { seconds: number; redemptionsPerS: number; non202: number };
  settle: { seconds: number; redemptionsPerS: number; batches: number; batchSizes: number[]; gasPerRedemption: number; workerErrors: string[] };
  naive: { redemptions: number; seconds: number; redemptionsPerS: number; gasPerRedemption: number };
}

interface Retailer {
  wallet: Wallet;
  apiKey: string;
}

const tokensOf = (i: number) => BigInt(1 + (i % 10)) * 10n ** 18n;

/** A program of its own, retailers accepting it (through the API), each holding tokens, and deposits to draw. */
async function redemptionScene(bench: Bench, base: string) {
  const api = adminApi(base, bench.adminKey);
  const program = await api.createProgram({ name: "Bench Redeem", symbol: "BRDM", kind: "recycling", redemptionRate: "0.01", rates: { PET: "2.5" } });
  const programId = program.id;
  const token = program.token;
  const retailers = await eachLimited(Array.from({ length: REDEMPTION_LOAD.retailers }, (_, i) => i), 4, async (i): Promise<Retailer> => {
    const wallet = new Wallet(Wallet.createRandom().privateKey);
    const member = await api.createMember({ kind: "retailer", name: `Bench Till ${i + 1}`, address: wallet.address });
    await api.grantProgram(programId, member.id);
    return { wallet, apiKey: member.apiKey };
  });
  // Funding is setup: one mintBatch as the operator (event ids far above any database id), then the deposits.
  await bench.chain.writer.sendAndWait(
    await bench.chain.token(token).mintBatch.populateTransaction(
      retailers.map((r) => r.wallet.address),
      retailers.map(() => REDEMPTION_LOAD.fundEach),
      retailers.map((_, i) => (1n << 255n) + (1n << 128n) + BigInt(i)),
    ),
  );
  const governance = new Wallet(DEV_GOVERNANCE_KEY, bench.chain.provider);
  const stablecoin = TestStablecoin__factory.connect(bench.deployment.contracts.stablecoin, governance);
  const total = REDEMPTION_LOAD.deposits.reduce((sum, d) => sum + parseUnits(d, 6), 0n);
  await (await stablecoin.mint(governance.address, total)).wait();
  await (await stablecoin.approve(bench.deployment.contracts.vault, total)).wait();
  for (const amount of REDEMPTION_LOAD.deposits) {
    await (await bench.chain.vault.connect(governance).deposit(token, parseUnits(amount, 6))).wait();
  }
  return { programId, token, name: program.name as string, retailers, stablecoin, treasury: governance.address, deposited: total };
}
type Scene = Awaited<ReturnType<typeof redemptionScene>>;

/** The retailer's phone: a permit of `tokens` to the vault at the token's next nonce, valid for an hour. */
async function signPermit(bench: Bench, scene: Scene, retailer: Retailer, tokens: bigint, nonce: bigint) {
  const domain = rewardTokenDomain(scene.name, BigInt(bench.chain.chainId), scene.token);
  const deadline = BigInt(Math.floor(Date.now() / 1000) + 3_600);
  const message = { owner: retailer.wallet.address, spender: bench.deployment.contracts.vault, value: tokens, nonce, deadline };
  return { deadline, signature: await retailer.wallet.signTypedData(domain, PERMIT_TYPES, message) };
}

/** Every retailer POSTs its redemption once, `acceptConcurrency` in flight, while no redemption worker runs. */
async function accept(bench: Bench, base: string, scene: Scene) {
  const permits = await Promise.all(scene.retailers.map((r, i) => signPermit(bench, scene, r, tokensOf(i), 0n)));
  const api = adminApi(base, bench.adminKey);
  const statuses: number[] = [];
  const started = performance.now();
  await eachLimited(scene.retailers.map((r, i) => ({ r, i })), REDEMPTION_LOAD.acceptConcurrency, async ({ r, i }) => {
    const body = {
      programId: scene.programId,
      amount: formatTokenAmount(tokensOf(i)),
      permit: { deadline: Number(permits[i]!.deadline), signature: permits[i]!.signature },
    };
    // 202, or the status it was refused with (0: no answer).
    const status = await api.createRedemption(body, { apiKey: r.apiKey }).then(
      () => 202,
      (error: unknown) => (error instanceof ApiError ? error.status : 0),
    );
    statuses.push(status);
  });
  const seconds = (performance.now() - started) / 1000;
  return { seconds, redemptionsPerS: statuses.length / seconds, non202: statuses.filter((s) => s !== 202).length };
}

/** The real redemption worker, timed until every redemption is final. */
function settle(bench: Bench, scene: Scene, count: number) {
  return timeWorker(bench, {
    config: { ...bench.config, redemptionBatchMax: REDEMPTION_LOAD.batchMax, redemptionBatchMs: REDEMPTION_LOAD.batchMs },
    key: DEV_WORKER_KEYS[1],
    queue: "redemptions",
    start: startRedemptionWorker,
    finished: async () =>
      (await bench.sql<{ n: number }[]>`
        select count(*)::int as n from redemptions where program_id = ${scene.programId} and status in ('confirmed', 'failed')`)[0]!.n,
    count,
    timeoutMs: REDEMPTION_LOAD.timeoutMs,
    what: "redemptions final",
  });
}

/** The naive way: the first retailers redeem 5 tokens more, one redeemWithPermit each, sent and awaited in turn. */
async function naive(bench: Bench, chain: Chain, scene: Scene) {
  const retailers = scene.retailers.slice(0, REDEMPTION_LOAD.naiveRedemptions);
  const tokens = 5n * 10n ** 18n;
  const permits = await Promise.all(retailers.map((r) => signPermit(bench, scene, r, tokens, 1n)));
  let gas = 0n;
  const started = performance.now();
  for (const [i, retailer] of retailers.entries()) {
    const { v, r, s } = Signature.from(permits[i]!.signature);
    const request = await chain.vault.redeemWithPermit.populateTransaction(scene.token, retailer.wallet.address, tokens, permits[i]!.deadline, v, r, s);
    gas += (await chain.writer.sendAndWait(request)).gasUsed;
  }
  const seconds = (performance.now() - started) / 1000;
  return { redemptions: retailers.length, seconds, redemptionsPerS: retailers.length / seconds, gasPerRedemption: Number(gas) / retailers.length };
}

/**
 * The redemptions phase: 250 retailers with tokens and 20 tUSD deposited in 5 deposits; each signs a permit
 * and POSTs /v1/redemptions; the real redemption worker settles them in batches; then 50 the naive way.
 */
export async function measureRedemptions(bench: Bench, log: (line: string) => void): Promise<{ figures: RedemptionFigures; checks: Check[] }> {
  const api = await startApi(bench);
  let scene: Scene;
  let accepted: RedemptionFigures["accept"];
  try {
    scene = await redemptionScene(bench, api.url);
    log(`redeem:   program ${scene.programId}, ${scene.retailers.length} retailers holding tokens, ${REDEMPTION_LOAD.deposits.length} deposits`);
    accepted = await accept(bench, api.url, scene);
    await api.drained();
  } finally {
    await api.app.close();
  }
  log(`redeem:   ${accepted.redemptionsPerS.toFixed(0)} redemptions/s accepted; redemption worker settling (batches of ${REDEMPTION_LOAD.batchMax})`);
  const treasuryBefore = await scene.stablecoin.balanceOf(scene.treasury);
  const count = scene.retailers.length - accepted.non202;
  const settled = await settle(bench, scene, count);
  const afterBatched = await redemptionState(bench, scene);
  const treasuryAfter = await scene.stablecoin.balanceOf(scene.treasury);
  let naiveFigures;
  try {
    log(`redeem:   settled in ${settled.seconds.toFixed(1)} s; now ${REDEMPTION_LOAD.naiveRedemptions} × redeemWithPermit, one at a time`);
    naiveFigures = await naive(bench, settled.chain, scene);
  } finally {
    await settled.close();
  }
  const { rows, receipts, depositsLeft, retailerBalances } = afterBatched;
  const sizes = new Map<string, number>();
  for (const r of rows) sizes.set(r.txHash, (sizes.get(r.txHash) ?? 0) + 1);
  const gas = [...receipts.values()].reduce((sum, receipt) => sum + receipt.gasUsed, 0n);
  const figures: RedemptionFigures = {
    redemptions: count,
    accept: accepted,
    settle: {
      seconds: settled.seconds,
      redemptionsPerS: count / settled.seconds,
      batches: receipts.size,
      batchSizes: [...sizes.values()],
      gasPerRedemption: Number(gas) / Math.max(1, rows.length),
      workerErrors: settled.workerErrors,
    },
    naive: naiveFigures,
  };
  const sum = (values: bigint[]) => values.reduce((a, b) => a + b, 0n);
  const vaultIds = new Set(rows.map((r) => r.vaultRedemptionId));
  const redeemedLogs = [...receipts.values()].flatMap((receipt) =>
    receipt.logs.flatMap((l) => (l.address.toLowerCase() === bench.deployment.contracts.vault.toLowerCase() ? bench.chain.vault.interface.parseLog(l) ?? [] : [])),
  );
  const drawn = sum(redeemedLogs.filter((e) => e.name === "DepositDrawn").map((e) => e.args.amount as bigint));
  const gross = sum(rows.map((r) => BigInt(r.gross)));
  const fees = sum(rows.map((r) => BigInt(r.fee)));
  const checks: Check[] = [
    { check: "redeem: every redemption accepted (202)", ok: accepted.non202 === 0, detail: `${accepted.non202} not accepted` },
    { check: "redeem: every redemption confirmed, none failed", ok: rows.length === count, detail: `${rows.length} of ${count} confirmed` },
    {
      check: "redeem: each settled once (one vault redemption each, one Redeemed log each)",
      ok: vaultIds.size === rows.length && redeemedLogs.filter((e) => e.name === "Redeemed").length === rows.length,
      detail: `${vaultIds.size} vault ids, ${redeemedLogs.filter((e) => e.name === "Redeemed").length} Redeemed logs`,
    },
    {
      check: "redeem: vault sums (deposited − left = drawn = Σ gross; Σ net reached the retailers; Σ fee the treasury)",
      ok: scene.deposited - depositsLeft === gross && drawn === gross && sum(retailerBalances) === gross - fees && treasuryAfter - treasuryBefore === fees,
      detail: `deposited ${scene.deposited}, left ${depositsLeft}, drawn ${drawn}, gross ${gross}, fees ${fees}`,
    },
    { check: "redeem: no failed jobs, no worker errors", ok: settled.jobs.failed === 0 && settled.workerErrors.length === 0, detail: settled.workerErrors[0] ?? "" },
  ];
  return { figures, checks };
}

/** The confirmed rows, their batches' receipts, the vault's deposits left and the retailers' stablecoin. */
async function redemptionState(bench: Bench, scene: Scene) {
  const rows = await bench.sql<{ txHash: string; vaultRedemptionId: string; gross: string; fee: string }[]>`
    select tx_hash as "txHash", vault_redemption_id::text as "vaultRedemptionId", gross::text as gross, fee::text as fee
    from redemptions where program_id = ${scene.programId} and status = 'confirmed'`;
  const receipts = new Map<string, TransactionReceipt>();
  for (const hash of new Set(rows.map((r) => r.txHash))) receipts.set(hash, (await bench.chain.provider.getTransactionReceipt(hash))!);
  const [, depositsLeft] = await bench.chain.vault.solvency(scene.token);
  const retailerBalances = await eachLimited(scene.retailers, 16, (r) => scene.stablecoin.balanceOf(r.wallet.address));
  return { rows, receipts, depositsLeft, retailerBalances };
}

/** The phase's rows of the report table. */
export function redemptionRows(f: RedemptionFigures): Row[] {
  return [
    row(`redeem accept: POST /v1/redemptions, ${REDEMPTION_LOAD.acceptConcurrency} in flight, redemptions/s`, f.accept.redemptionsPerS, 0),
    row(`redeem settle: redemption worker, ${fmtCount(f.redemptions)} redemptions/s`, f.settle.redemptionsPerS, 0),
    row(`redeem settle: redeemWithPermitBatch transactions (at most ${REDEMPTION_LOAD.batchMax} each)`, f.settle.batches, 0),
    row("redeem settle: gas per redemption", f.settle.gasPerRedemption, 0),
    row(`naive: ${f.naive.redemptions} × redeemWithPermit sent and awaited, redemptions/s`, f.naive.redemptionsPerS, 1),
    row("naive: gas per redemption", f.naive.gasPerRedemption, 0),
    row("redeem settle: batched ÷ naive, ×", f.settle.redemptionsPerS / f.naive.redemptionsPerS, 1),
  ];
}
const fmtCount = (n: number) => n.toLocaleString("en-US");
