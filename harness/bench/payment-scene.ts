import { Signature, Wallet } from "ethers";
import { rewardTokenDomain, type SignedTransferAuthorization, signTransferAuthorization } from "../../services/chain/eip3009.js";
import { PaymentNonces } from "../../services/core/payment-nonces.js";
import { eachLimited } from "../lib/each-limited.js";
import { adminApi } from "./fixtures.js";
import type { Bench } from "./setup.js";

export const PAYMENT_LOAD = {
  collectors: 50,
  retailers: 4,
  payments: 5_000,
  /** Requests in flight against POST /v1/payments (fetch from a worker thread). */
  acceptConcurrency: 32,
  /** PAYMENT_BATCH_MAX (also the worker's concurrency) and PAYMENT_BATCH_MS of the measured worker. */
  batchMax: 250,
  batchMs: 200,
  naivePayments: 200,
  /** Tokens minted to each collector before it pays. */
  fundEach: 1_000n * 10n ** 18n,
  timeoutMs: 90_000,
} as const;

export interface Collector {
  wallet: Wallet;
  nonces: PaymentNonces;
}

export interface Planned {
  signed: SignedTransferAuthorization;
  signature: string;
}

/** A program of its own (so its token's supply is this phase's alone), retailers accepting it, funded collectors. */
export async function paymentScene(bench: Bench, base: string) {
  const api = adminApi(base, bench.adminKey);
  const program = await api.createProgram({
    name: "Bench Pay",
    symbol: "BPAY",
    kind: "recycling",
    redemptionRate: "0.01",
    rates: { PET: "2.5" },
  });
  const retailers = await eachLimited(Array.from({ length: PAYMENT_LOAD.retailers }, (_, i) => i), 2, async (i) => {
    const address = Wallet.createRandom().address;
    const member = await api.createMember({ kind: "retailer", name: `Bench Shop ${i + 1}`, address });
    await api.grantProgram(program.id, member.id);
    return address;
  });
  const collectors: Collector[] = Array.from({ length: PAYMENT_LOAD.collectors }, () => ({
    wallet: new Wallet(Wallet.createRandom().privateKey),
    nonces: new PaymentNonces(),
  }));
  // Funding is setup: one mintBatch as the operator, with event ids far above any database id.
  const token = bench.chain.token(program.token);
  const funded = await bench.chain.writer.sendAndWait(
    await token.mintBatch.populateTransaction(
      collectors.map((c) => c.wallet.address),
      collectors.map(() => PAYMENT_LOAD.fundEach),
      collectors.map((_, i) => (1n << 255n) + BigInt(i)),
    ),
  );
  return {
    programId: program.id as number,
    name: program.name as string,
    token: program.token as string,
    retailers,
    collectors,
    fundBlock: funded.blockNumber,
  };
}
export type PaymentScene = Awaited<ReturnType<typeof paymentScene>>;

/** Payment `i`: collector i mod 50 (its nonces in order), retailer i mod 4, 0.01 to 0.97 tokens. */
export async function signPayments(bench: Bench, scene: PaymentScene, count: number, nonces: (c: Collector) => PaymentNonces) {
  const domain = rewardTokenDomain(scene.name, BigInt(bench.chain.chainId), scene.token);
  const validBefore = BigInt(Math.floor(Date.now() / 1000) + 3_600);
  const planned: Planned[] = [];
  for (let i = 0; i < count; i++) {
    const collector = scene.collectors[i % scene.collectors.length]!;
    const signed = await signTransferAuthorization(collector.wallet, domain, {
      from: collector.wallet.address,
      to: scene.retailers[i % scene.retailers.length]!,
      value: BigInt(1 + (i % 97)) * 10n ** 16n,
      validAfter: 0n,
      validBefore,
      nonce: nonces(collector).take(),
    });
    planned.push({ signed, signature: Signature.from({ r: signed.r, s: signed.s, v: signed.v }).serialized });
  }
  return planned;
}
