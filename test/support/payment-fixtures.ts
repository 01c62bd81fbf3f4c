import { Wallet, parseUnits, type HDNodeWallet } from "ethers";
import { expect } from "vitest";
import { rewardTokenDomain, signTransferAuthorization } from "../../services/chain/eip3009.js";
import { DEV_WORKER_KEYS } from "../../services/chain/network.js";
import { PaymentNonces } from "../../services/core/payment-nonces.js";
import { startPaymentWorker } from "../../services/queue/payment-worker.js";
import { client } from "./client.js";
import { startInProcessWorker } from "./in-process-worker.js";
import { admit, eventually, idempotencyKey, recyclingScene } from "./earn-fixtures.js";
import type { Stack } from "./stack.js";

/** A recycling scene whose collector has earned `kg` × 2.5 tokens (confirmed), and a retailer accepting the program. */
export async function paymentScene(stack: Stack, kg = 4) {
  const scene = await recyclingScene(stack);
  const earned = await scene.point.api.post(
    "/v1/collections",
    { programId: scene.program.id, collector: scene.collector.address, material: "PET", grams: kg * 1000 },
    idempotencyKey(),
  );
  await eventually(() => scene.point.api.get(`/v1/collections/${earned.body.id}`), (r) => r.body.status === "confirmed");
  const retailerWallet = Wallet.createRandom();
  const retailer = await admit(stack, "retailer", "Warung Bu Tini", retailerWallet.address);
  const grant = await scene.admin.post(`/v1/programs/${scene.program.id}/members`, { memberId: retailer.id });
  expect(grant.status).toBe(201);
  return { ...scene, retailer, retailerWallet, nonces: new PaymentNonces() };
}

/** The collector's phone: signs an EIP-3009 authorization of `amount` tokens to `to`, valid for an hour. */
export async function signPayment(
  stack: Stack,
  payer: HDNodeWallet | Wallet,
  program: { id: number; name: string; token: string },
  to: string,
  amount: string,
  options: { nonce?: string; nonces?: PaymentNonces; validBefore?: number; validAfter?: number } = {},
) {
  const now = Math.floor(Date.now() / 1000);
  const domain = rewardTokenDomain(program.name, BigInt(stack.chain.chainId), program.token);
  const authorization = {
    from: payer.address,
    to,
    value: parseUnits(amount, 18),
    validAfter: BigInt(options.validAfter ?? 0),
    validBefore: BigInt(options.validBefore ?? now + 3600),
    nonce: options.nonce ?? (options.nonces ?? new PaymentNonces()).take(),
  };
  const signed = await signTransferAuthorization(payer, domain, authorization);
  const signature = (await import("ethers")).Signature.from({ r: signed.r, s: signed.s, v: signed.v }).serialized;
  return {
    body: {
      programId: program.id,
      authorization: {
        from: authorization.from,
        to,
        value: amount,
        validAfter: Number(authorization.validAfter),
        validBefore: Number(authorization.validBefore),
        nonce: authorization.nonce,
      },
      signature,
    },
    authorization,
    signature,
  };
}

/** A payment worker in this process, relaying with dev worker key `index`, as workers/payments.ts runs one. */
export const startTestPaymentWorker = (stack: Stack, index = 0) =>
  startInProcessWorker(stack, DEV_WORKER_KEYS[index]!, startPaymentWorker);

export const anonymous = (stack: Stack) => client(stack.app);

/** Payments are readable by their payer, their payee and the admin only: tests follow a payment as the admin. */
export const asAdmin = (stack: Stack) => client(stack.app, stack.adminKey);
