/**
 * `npm run simulate`: one bounded, realistic day on the seeded demo network, through the running API and its
 * workers. Collectors with fresh wallets are registered at the point and drop off random materials (one
 * Idempotency-Key each); once credited, some pay the shop with signed EIP-3009 authorizations, half sent
 * from the phone, half as offline vouchers the shop submits; then the shop redeems part of what it took with
 * an EIP-2612 permit. Everything waits against one deadline; anything refused, failed or late is a problem.
 */
import { randomBytes } from "node:crypto";
import { formatUnits, parseUnits, Signature, Wallet, type HDNodeWallet } from "ethers";
import { ApiError, createApiClient } from "../../services/api/client/index.js";
import { PERMIT_TYPES } from "../../services/chain/eip2612.js";
import { rewardTokenDomain, signTransferAuthorization } from "../../services/chain/eip3009.js";
import { PaymentNonces } from "../../services/core/payment-nonces.js";
import { encodeVoucher } from "../../services/core/voucher.js";
import { eachLimited } from "../../harness/lib/each-limited.js";
import type { Demo } from "../seed/demo-file.js";
import { prng } from "../../harness/lib/random.js";
import { PollTimeout, pollUntil, sleep } from "../../harness/lib/time.js";

export interface SimulateOptions {
  demo: Demo;
  /** Default: the API the seed used. */
  api?: string;
  collectors: number;
  /** The whole run's budget. */
  timeoutMs: number;
  /** Of the credited collectors, the share that pays the shop (default 0.5, at least one). */
  payerShare?: number;
  /** Of what the shop took, the share it redeems (default 0.5). */
  redeemShare?: number;
  /** Seeds the choices (materials, weights, who pays how much); wallets are always fresh. */
  seed?: number;
  log?: (line: string) => void;
}

export interface SimulationSummary {
  ok: boolean;
  problems: string[];
  seconds: number;
  collectors: number;
  dropOffs: { accepted: number; credited: number; tokens: string; kgByMaterial: Record<string, string> };
  payments: { online: number; vouchers: number; settled: number; failed: number; tokens: string };
  redemption: null | {
    id: number;
    status: string;
    tokens: string;
    gross: string | null;
    fee: string | null;
    net: string | null;
    txHash: string | null;
    blockNumber: number | null;
    vaultRedemptionId: number | null;
  };
}

interface Collector {
  name: string;
  wallet: HDNodeWallet;
  nonces: PaymentNonces;
  credited: bigint;
}

const LANES = 4;
const TOKEN = 18;
/** Grams a collector brings of each material: a bag of bottles, a few cans, a bundle of cardboard. */
const GRAMS: Record<string, [number, number]> = { PET: [300, 6000], HDPE: [300, 4000], ALUMINIUM: [100, 2000], PAPER: [500, 10000] };

export async function simulateDay(options: SimulateOptions): Promise<SimulationSummary> {
  const started = Date.now();
  const deadline = started + options.timeoutMs;
  const log = options.log ?? (() => {});
  const random = prng(options.seed ?? Date.now());
  const between = (low: number, high: number) => low + random.int(high - low + 1);
  const api = createApiClient({ baseUrl: options.api ?? options.demo.api, timeoutMs: 15_000 });
  const { demo } = options;
  const run = randomBytes(4).toString("hex");
  const problems: string[] = [];
  const summary: SimulationSummary = {
    ok: false,
    problems,
    seconds: 0,
    collectors: options.collectors,
    dropOffs: { accepted: 0, credited: 0, tokens: "0", kgByMaterial: {} },
    payments: { online: 0, vouchers: 0, settled: 0, failed: 0, tokens: "0" },
    redemption: null,
  };
  const finish = () => {
    summary.seconds = Math.round((Date.now() - started) / 100) / 10;
    summary.ok = problems.length === 0;
    return summary;
  };
  const wait = <T>(label: string, probe: () => Promise<T>, done: (value: T) => boolean) =>
    pollUntil(probe, done, { deadline, intervalMs: 200, message: (last) => `timed out waiting for ${label} (last: ${JSON.stringify(last)})` });

  try {
    const network = await api.network();
    const program = network.programs.find((p) => p.id === demo.program.id);
    if (!program) throw new Error(`program #${demo.program.id} is not on this API's network: seed again (npm run seed)`);
    const materials = program.materials;
    const domain = rewardTokenDomain(program.name, BigInt(network.chainId), program.token);
    log(`simulate: ${options.collectors} collectors at ${demo.point.name}, program #${program.id} ${program.name}, run ${run}`);

    // Morning: new collectors register their phone's wallet at the point.
    const collectors: Collector[] = await eachLimited(Array.from({ length: options.collectors }, (_, i) => i), LANES, async (i) => {
      const wallet = Wallet.createRandom();
      const name = `Collector ${run}-${i + 1}`;
      await api.registerCollector({ address: wallet.address, displayName: name }, { apiKey: demo.point.apiKey });
      return { name, wallet, nonces: new PaymentNonces(), credited: 0n };
    });
    log(`  registered ${collectors.length} collectors`);

    // The day at the scale: one to three drop-offs each, of whatever they gathered.
    const plan = collectors.flatMap((collector, c) =>
      Array.from({ length: between(1, 3) }, (_, k) => {
        const material = materials[between(0, materials.length - 1)]!;
        const [low, high] = GRAMS[material] ?? [200, 5000];
        return { collector, material, grams: between(low / 10, high / 10) * 10, key: `sim-${run}-${c + 1}-${k + 1}` };
      }),
    );
    const kg = new Map<string, number>();
    const accepted = await eachLimited(plan, LANES, async (drop) => {
      const body = { programId: program.id, collector: drop.collector.wallet.address, material: drop.material, grams: drop.grams };
      const event = await retrying(() => api.recordCollection(body, { apiKey: demo.point.apiKey, idempotencyKey: drop.key }), deadline);
      kg.set(drop.material, (kg.get(drop.material) ?? 0) + drop.grams);
      return { drop, id: event.id };
    });
    summary.dropOffs.accepted = accepted.length;
    summary.dropOffs.kgByMaterial = Object.fromEntries([...kg].map(([m, grams]) => [m, (grams / 1000).toFixed(2)]));
    log(`  recorded ${accepted.length} drop-offs (${[...kg].map(([m, g]) => `${m} ${(g / 1000).toFixed(2)} kg`).join(", ")}); waiting for the mint`);

    let credited = 0n;
    await eachLimited(accepted, LANES, async ({ drop, id }) => {
      const event = await wait(`drop-off #${id} credited`, () => api.collection(id, { apiKey: demo.point.apiKey }), (e) => ["confirmed", "held", "rejected"].includes(e.status));
      if (event.status !== "confirmed") return void problems.push(`drop-off #${id} is ${event.status} ${JSON.stringify(event.reasons ?? [])}`);
      const tokens = parseUnits(event.tokens, TOKEN);
      drop.collector.credited += tokens;
      credited += tokens;
      summary.dropOffs.credited++;
      if (summary.dropOffs.credited % 10 === 0) log(`    ${summary.dropOffs.credited}/${accepted.length} credited`);
    });
    summary.dropOffs.tokens = formatUnits(credited, TOKEN);
    log(`  credited ${summary.dropOffs.credited}/${accepted.length} drop-offs: ${summary.dropOffs.tokens} ${program.symbol}`);

    // Afternoon: some spend at the shop. Even ones pay from the phone, odd ones show a voucher the shop submits.
    const earners = collectors.filter((c) => c.credited >= parseUnits("0.02", TOKEN));
    const payers = earners.slice(0, Math.max(1, Math.ceil(earners.length * (options.payerShare ?? 0.5))));
    if (earners.length === 0) throw new Error("no collector was credited: nobody can pay");
    const sent = await eachLimited(payers.map((payer, i) => ({ payer, i })), LANES, async ({ payer, i }) => {
      const cents = (payer.credited * BigInt(between(20, 80))) / 100n / 10n ** 16n;
      const value = (cents > 0n ? cents : 1n) * 10n ** 16n;
      const now = Math.floor(Date.now() / 1000);
      const authorization = { from: payer.wallet.address, to: demo.retailer.address, value, validAfter: 0n, validBefore: BigInt(now + 3600), nonce: payer.nonces.take() };
      const signed = await signTransferAuthorization(payer.wallet, domain, authorization);
      const signature = Signature.from({ r: signed.r, s: signed.s, v: signed.v }).serialized;
      const asVoucher = i % 2 === 1;
      const body = asVoucher
        ? { voucher: encodeVoucher({ programId: program.id, from: authorization.from, to: authorization.to, value, validAfter: 0, validBefore: now + 3600, nonce: authorization.nonce, signature }) }
        : { programId: program.id, authorization: { ...authorization, value: formatUnits(value, TOKEN), validAfter: 0, validBefore: now + 3600 }, signature };
      const payment = await api.createPayment(body, asVoucher ? { apiKey: demo.retailer.apiKey } : {});
      if (asVoucher) summary.payments.vouchers++;
      else summary.payments.online++;
      return { id: payment.id, value, how: asVoucher ? "voucher" : "online" };
    });
    log(`  ${summary.payments.online} paid from the phone, ${summary.payments.vouchers} as vouchers the shop submitted; waiting for settlement`);

    let paid = 0n;
    await eachLimited(sent, LANES, async ({ id, value, how }) => {
      const payment = await wait(`payment #${id} settled`, () => api.payment(id, { apiKey: demo.retailer.apiKey }), (p) => p.status === "confirmed" || p.status === "failed");
      if (payment.status !== "confirmed") {
        summary.payments.failed++;
        return void problems.push(`payment #${id} (${how}) failed: ${payment.failureReason}`);
      }
      summary.payments.settled++;
      paid += value;
    });
    summary.payments.tokens = formatUnits(paid, TOKEN);
    log(`  settled ${summary.payments.settled}/${sent.length} payments: ${summary.payments.tokens} ${program.symbol} to ${demo.retailer.name}`);

    // Evening: the shop trades part of the day's takings for the sponsor's stablecoin.
    const share = BigInt(Math.round((options.redeemShare ?? 0.5) * 100));
    const amount = ((paid * share) / 100n / 10n ** 16n) * 10n ** 16n;
    if (amount === 0n) throw new Error("the shop took too little to redeem");
    const shop = Wallet.fromPhrase(demo.retailer.phrase);
    const params = await api.permitParams(program.id, { apiKey: demo.retailer.apiKey });
    const permitDeadline = Math.floor(Date.now() / 1000) + 3600;
    const permit = { owner: shop.address, spender: params.spender, value: amount, nonce: BigInt(params.nonce), deadline: BigInt(permitDeadline) };
    const signature = await shop.signTypedData(params.domain, PERMIT_TYPES, permit);
    const body = { programId: program.id, amount: formatUnits(amount, TOKEN), permit: { deadline: permitDeadline, signature } };
    const asked = await retrying(() => api.createRedemption(body, { apiKey: demo.retailer.apiKey, idempotencyKey: `sim-${run}-redeem` }), deadline);
    log(`  the shop redeems ${body.amount} ${program.symbol} (redemption #${asked.id}); waiting for the payout`);
    const redemption = await wait(`redemption #${asked.id} paid`, () => api.redemption(asked.id, { apiKey: demo.retailer.apiKey }), (r) => r.status === "confirmed" || r.status === "failed");
    summary.redemption = {
      id: redemption.id,
      status: redemption.status,
      tokens: redemption.tokens,
      gross: redemption.gross,
      fee: redemption.fee,
      net: redemption.net,
      txHash: redemption.txHash,
      blockNumber: redemption.blockNumber,
      vaultRedemptionId: redemption.vaultRedemptionId,
    };
    if (redemption.status !== "confirmed") problems.push(`redemption #${redemption.id} failed: ${redemption.failureReason}`);
  } catch (error) {
    if (error instanceof ApiError) problems.push(`${error.request} answered ${error.status}: ${error.code} ${error.message}`);
    else problems.push(error instanceof PollTimeout ? error.message : (error as Error).stack ?? String(error));
  }
  return finish();
}

/** A POST sent again, unchanged (the same Idempotency-Key or signature), while the API answers 5xx or not at all. */
async function retrying<T>(post: () => Promise<T>, deadline: number): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await post();
    } catch (error) {
      const retryable = !(error instanceof ApiError) || error.status === 0 || error.status >= 500;
      if (!retryable || Date.now() + 1000 > deadline || attempt >= 5) throw error;
      await sleep(250 * attempt);
    }
  }
}

export function describeSummary(summary: SimulationSummary, symbol: string, stable: string): string {
  const r = summary.redemption;
  return `
${summary.ok ? "Simulation done" : "Simulation FAILED"} in ${summary.seconds} s
  collectors   ${summary.collectors}
  drop-offs    ${summary.dropOffs.credited}/${summary.dropOffs.accepted} credited, ${summary.dropOffs.tokens} ${symbol}` +
    ` (${Object.entries(summary.dropOffs.kgByMaterial).map(([m, k]) => `${m} ${k} kg`).join(", ")})
  payments     ${summary.payments.settled} settled, ${summary.payments.failed} failed of ${summary.payments.online} online + ${summary.payments.vouchers} vouchers: ${summary.payments.tokens} ${symbol}
  redemption   ${r ? `#${r.id} ${r.status}: ${r.tokens} ${symbol} → gross ${r.gross} ${stable}, fee ${r.fee} ${stable}, net ${r.net} ${stable}${r.txHash ? `, tx ${r.txHash} block ${r.blockNumber}` : ""}` : "none"}
${summary.problems.map((p) => `  problem      ${p}`).join("\n")}`;
}
