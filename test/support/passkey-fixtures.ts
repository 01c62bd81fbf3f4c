import { Wallet } from "ethers";
import { expect } from "vitest";
import { PaymentNonces } from "../../services/core/payment-nonces.js";
import { CollectorAccountFactory__factory } from "../../types/ethers-contracts/index.js";
import { SoftwarePasskey } from "../../harness/lib/software-passkey.js";
import { admit, eventually, idempotencyKey, recyclingScene } from "./earn-fixtures.js";
import type { Stack } from "./stack.js";

/**
 * A collector whose wallet is a passkey account, registered and credited at its address before the account exists
 * (a confirmed 4 kg drop-off), and a shop that takes its program.
 */
export async function passkeyScene(stack: Stack) {
  const scene = await recyclingScene(stack);
  const factory = CollectorAccountFactory__factory.connect(stack.chain.deployment.contracts.collectorAccounts!, stack.chain.provider);
  const passkey = new SoftwarePasskey();
  const account = await factory.accountAddress(passkey.qx, passkey.qy);
  expect((await scene.point.api.post("/v1/collectors", { address: account, displayName: "Wati" })).status).toBe(201);
  const earned = await scene.point.api.post("/v1/collections", { programId: scene.program.id, collector: account, material: "PET", grams: 4000 }, idempotencyKey());
  expect(earned.status, JSON.stringify(earned.body)).toBe(202);
  await eventually(() => scene.point.api.get(`/v1/collections/${earned.body.id}`), (r) => r.body.status === "confirmed");
  const shop = Wallet.createRandom();
  const retailer = await admit(stack, "retailer", "Warung Bu Tini", shop.address);
  expect((await scene.admin.post(`/v1/programs/${scene.program.id}/members`, { memberId: retailer.id })).status).toBe(201);
  return { ...scene, factory, passkey, account, shop, nonces: new PaymentNonces() };
}
export type PasskeyScene = Awaited<ReturnType<typeof passkeyScene>>;
