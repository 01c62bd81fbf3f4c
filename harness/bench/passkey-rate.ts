/**
 * The passkey phase: payments from collectors whose wallets are passkey accounts (ERC-1271 over a WebAuthn
 * assertion, checked through the P-256 precompile), through the same POST /v1/payments and payment worker as the
 * key payments. Each account is credited at its counterfactual address, then pays once (the relay creates the
 * account in front of that payment, from its ERC-6492-wrapped signature), then twice more. Gas per payment is
 * read from the batch receipts of each round, next to a key's payment in the pay phase.
 */
import { TypedDataEncoder, Wallet } from "ethers";
import { rewardTokenDomain, TRANSFER_WITH_AUTHORIZATION_TYPES, type TransferAuthorization } from "../../services/chain/eip3009.js";
import { collectorAccountAddress } from "../../services/core/counterfactual-account.js";
import { PaymentNonces } from "../../services/core/payment-nonces.js";
import { eachLimited } from "../lib/each-limited.js";
import { SoftwarePasskey, wrappedForCreation } from "../lib/software-passkey.js";
import { adminApi } from "./fixtures.js";
import { startApi } from "./http-accept.js";
import { acceptPayments, settlePayments } from "./payment-rate.js";
import { fmt, row, type Row } from "./report.js";
import type { Bench } from "./setup.js";
import type { Check } from "./verify.js";

export const PASSKEY_LOAD = {
  accounts: 40,
  retailers: 2,
  /** Payments each account makes after the one that creates it. */
  laterEach: 2,
  fundEach: 100n * 10n ** 18n,
  paid: 10n ** 18n,
} as const;

interface Round {
  payments: number;
  settleS: number;
  transactions: number;
  gasPerPayment: number;
}

export interface PasskeyFigures {
  accounts: number;
  /** Each account's first payment: the batch creates the account in front of it. */
  first: Round;
  later: Round;
}

interface Payer {
  passkey: SoftwarePasskey;
  address: string;
  nonces: PaymentNonces;
}

/** A program, shops accepting it, and passkey accounts credited where the factory will create them. */
async function passkeyScene(bench: Bench, base: string) {
  const factory = bench.deployment.contracts.collectorAccounts;
  if (!factory) throw new Error("the bench's network has no CollectorAccountFactory");
  const api = adminApi(base, bench.adminKey);
  const program = await api.createProgram({ name: "Bench Passkey", symbol: "BPK", kind: "recycling", redemptionRate: "0.01", rates: { PET: "2.5" } });
  const retailers = await eachLimited(Array.from({ length: PASSKEY_LOAD.retailers }, (_, i) => i), 2, async (i) => {
    const address = Wallet.createRandom().address;
    const member = await api.createMember({ kind: "retailer", name: `Bench Passkey Shop ${i + 1}`, address });
    await api.grantProgram(program.id, member.id);
    return address;
  });
  const payers: Payer[] = Array.from({ length: PASSKEY_LOAD.accounts }, () => {
    const passkey = new SoftwarePasskey();
    return { passkey, address: collectorAccountAddress(factory, passkey), nonces: new PaymentNonces() };
  });
  // Funding is setup: one mintBatch as the operator, to addresses with no code yet.
  const token = bench.chain.token(program.token);
  await bench.chain.writer.sendAndWait(
    await token.mintBatch.populateTransaction(
      payers.map((p) => p.address),
      payers.map(() => PASSKEY_LOAD.fundEach),
      payers.map((_, i) => (1n << 255n) + BigInt(i)),
    ),
  );
  const domain = rewardTokenDomain(program.name, BigInt(bench.chain.chainId), program.token);
  return { factory, programId: program.id as number, token: program.token as string, retailers, payers, domain };
}
type Scene = Awaited<ReturnType<typeof passkeyScene>>;

/** One payment from each account: the phone's assertion of the digest, wrapped while the account is not created. */
function signRound(scene: Scene, round: number, wrap: boolean) {
  const validBefore = BigInt(Math.floor(Date.now() / 1000) + 3_600);
  return scene.payers.map((payer, i) => {
    const signed: TransferAuthorization = {
      from: payer.address,
      to: scene.retailers[(i + round) % scene.retailers.length]!,
      value: PASSKEY_LOAD.paid,
      validAfter: 0n,
      validBefore,
      nonce: payer.nonces.take(),
    };
    const assertion = payer.passkey.assert(TypedDataEncoder.hash(scene.domain, TRANSFER_WITH_AUTHORIZATION_TYPES, signed));
    return { signed, signature: wrap ? wrappedForCreation(scene.factory, payer.passkey, assertion) : assertion };
  });
}

/** The transactions that carried `nonces`' payments (the round's own: the worker batches one round at a time), and their gas. */
async function roundGas(bench: Bench, scene: Scene, nonces: string[]) {
  const rows = await bench.sql<{ txHash: string }[]>`
    select tx_hash as "txHash" from payments
    where program_id = ${scene.programId} and status = 'confirmed' and nonce = any(${nonces})`;
  const hashes = [...new Set(rows.map((r) => r.txHash))];
  let gas = 0n;
  for (const hash of hashes) gas += (await bench.chain.provider.getTransactionReceipt(hash))!.gasUsed;
  return { transactions: hashes.length, gas };
}

export async function measurePasskeyPayments(bench: Bench, log: (line: string) => void): Promise<{ figures: PasskeyFigures; checks: Check[] }> {
  const api = await startApi(bench);
  let scene: Scene;
  let first: Round | undefined;
  const later = { payments: 0, settleS: 0, transactions: 0, gas: 0n };
  const checks: Check[] = [];
  try {
    scene = await passkeyScene(bench, api.url);
    log(`passkey:  program ${scene.programId}, ${scene.payers.length} passkey accounts credited before they exist`);
    for (let round = 0; round <= PASSKEY_LOAD.laterEach; round++) {
      const planned = signRound(scene, round, round === 0);
      const accepted = await acceptPayments([api.url], scene, planned);
      await api.drained();
      checks.push({ check: `passkey round ${round + 1}: every payment accepted (202)`, ok: accepted.non202 === 0, detail: JSON.stringify(accepted.statusCodes) });
      const settled = await settlePayments(bench, scene, scene.payers.length * (round + 1));
      await settled.close();
      const gas = await roundGas(bench, scene, planned.map((p) => p.signed.nonce));
      if (round === 0) first = { payments: planned.length, settleS: settled.seconds, transactions: gas.transactions, gasPerPayment: Number(gas.gas) / planned.length };
      else {
        later.payments += planned.length;
        later.settleS += settled.seconds;
        later.transactions += gas.transactions;
        later.gas += gas.gas;
      }
      log(`passkey:  round ${round + 1}: ${planned.length} payments settled in ${settled.seconds.toFixed(1)} s, ${fmt(Number(gas.gas) / planned.length)} gas each`);
    }
  } finally {
    await api.app.close();
  }
  checks.push(...(await passkeyChecks(bench, scene)));
  const laterRound = { payments: later.payments, settleS: later.settleS, transactions: later.transactions, gasPerPayment: Number(later.gas) / later.payments };
  return { figures: { accounts: scene.payers.length, first: first!, later: laterRound }, checks };
}

/** Every account created, every payment confirmed once, and the tokens where they should be. */
async function passkeyChecks(bench: Bench, scene: Scene): Promise<Check[]> {
  const token = bench.chain.token(scene.token);
  const each = 1 + PASSKEY_LOAD.laterEach;
  const codes = await Promise.all(scene.payers.map((p) => bench.chain.provider.getCode(p.address)));
  const balances = await Promise.all(scene.payers.map((p) => token.balanceOf(p.address)));
  const shops = await Promise.all(scene.retailers.map((r) => token.balanceOf(r)));
  const [row] = await bench.sql<{ confirmed: number; distinct: number }[]>`
    select count(*)::int as confirmed, count(distinct (payer, nonce))::int as distinct from payments
    where program_id = ${scene.programId} and status = 'confirmed'`;
  const expectedLeft = PASSKEY_LOAD.fundEach - BigInt(each) * PASSKEY_LOAD.paid;
  const paidTotal = BigInt(scene.payers.length * each) * PASSKEY_LOAD.paid;
  return [
    { check: "passkey: every account created by its first payment's batch", ok: codes.every((code) => code !== "0x"), detail: `${codes.filter((c) => c !== "0x").length} of ${codes.length}` },
    { check: "passkey: every payment confirmed exactly once", ok: row!.confirmed === scene.payers.length * each && row!.distinct === row!.confirmed, detail: `${row!.confirmed} confirmed, ${row!.distinct} distinct` },
    { check: "passkey: each account paid what it signed", ok: balances.every((b) => b === expectedLeft), detail: `${balances.filter((b) => b === expectedLeft).length} of ${balances.length}` },
    { check: "passkey: the shops hold what was paid", ok: shops.reduce((a, b) => a + b, 0n) === paidTotal, detail: `${shops.reduce((a, b) => a + b, 0n)} of ${paidTotal}` },
  ];
}

/** The passkey figures beside a key's payment in the pay phase's batches. */
export function passkeyRows(passkey: PasskeyFigures, keyGasPerPayment: number): Row[] {
  return [
    row(`passkey pay: gas, first payment (creates the account; ${passkey.first.payments} in ${passkey.first.transactions} tx)`, passkey.first.gasPerPayment, 0),
    row(`passkey pay: gas, later payments (${passkey.later.payments} in ${passkey.later.transactions} tx)`, passkey.later.gasPerPayment, 0),
    row("pay settle: gas, key's payment in the pay phase (reference)", keyGasPerPayment, 0),
    row("passkey pay: later ÷ key's gas, ×", passkey.later.gasPerPayment / keyGasPerPayment, 2),
  ];
}
