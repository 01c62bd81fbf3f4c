import { parseUnits, Wallet, type HDNodeWallet } from "ethers";
import { expect, onTestFinished } from "vitest";
import { rewardTokenDomain } from "../../services/chain/eip3009.js";
import { PERMIT_TYPES } from "../../services/chain/eip2612.js";
import { DEV_WORKER_KEYS } from "../../services/chain/network.js";
import { startRedemptionWorker } from "../../services/queue/redemption-worker.js";
import { TestStablecoin__factory } from "../../types/ethers-contracts/index.js";
import { DEV_GOVERNANCE_KEY } from "./deploy.js";
import { admit, eventually } from "./earn-fixtures.js";
import { startInProcessWorker } from "./in-process-worker.js";
import { anonymous, asAdmin, paymentScene, signPayment } from "./payment-fixtures.js";
import type { Stack } from "./stack.js";

export const tusd = (amount: string) => parseUnits(amount, 6);
export const tokens = (amount: string) => parseUnits(amount, 18);

/** The test deployment's governance: it owns the test stablecoin, sets rates and is the vault's treasury. */
export const governance = (stack: Stack) => new Wallet(DEV_GOVERNANCE_KEY, stack.chain.provider);
export const stablecoin = (stack: Stack) => TestStablecoin__factory.connect(stack.deployment.contracts.stablecoin, governance(stack));

type Scene = Awaited<ReturnType<typeof paymentScene>>;

/** The collector pays `amount` tokens to `retailer` through the payments API; resolves once confirmed. */
export async function payRetailer(stack: Stack, scene: Scene, retailer: string, amount: string) {
  const { body } = await signPayment(stack, scene.collector, scene.program, retailer, amount, { nonces: scene.nonces });
  const accepted = await anonymous(stack).post("/v1/payments", body);
  expect(accepted.status, JSON.stringify(accepted.body)).toBe(202);
  await eventually(() => asAdmin(stack).get(`/v1/payments/${accepted.body.id}`), (r) => r.body.status === "confirmed");
}

/**
 * A program whose collector earned `kg` × 2.5 tokens and paid `amount` of them to the scene's retailer
 * (a payment worker must be running). Its redemption rate is 0.01 tUSD per token.
 */
export async function redemptionScene(stack: Stack, options: { kg?: number; amount?: string } = {}) {
  const scene = await paymentScene(stack, options.kg ?? 60);
  await payRetailer(stack, scene, scene.retailerWallet.address, options.amount ?? "150");
  return scene;
}

/** Another retailer accepting the scene's program, paid `amount` tokens by its collector. */
export async function anotherRetailer(stack: Stack, scene: Scene, amount: string) {
  const wallet = Wallet.createRandom();
  const member = await admit(stack, "retailer", "Toko Pak Budi", wallet.address);
  const grant = await scene.admin.post(`/v1/programs/${scene.program.id}/members`, { memberId: member.id });
  expect(grant.status).toBe(201);
  await payRetailer(stack, scene, wallet.address, amount);
  return { ...member, wallet };
}

/** One fresh sponsor per amount, given gas and tUSD by governance, each depositing its amount for `token`. */
export async function fundProgram(stack: Stack, token: string, amounts: string[]): Promise<string[]> {
  const bank = governance(stack);
  const sponsors: string[] = [];
  for (const amount of amounts) {
    const sponsor = Wallet.createRandom().connect(stack.chain.provider);
    await (await bank.sendTransaction({ to: sponsor.address, value: parseUnits("1", 18) })).wait();
    await (await stablecoin(stack).mint(sponsor.address, tusd(amount))).wait();
    const coin = TestStablecoin__factory.connect(stack.deployment.contracts.stablecoin, sponsor);
    await (await coin.approve(stack.deployment.contracts.vault, tusd(amount))).wait();
    await (await stack.chain.vault.connect(sponsor).deposit(token, tusd(amount))).wait();
    sponsors.push(sponsor.address);
  }
  return sponsors;
}

/**
 * The retailer's phone: an EIP-2612 permit of `amount` tokens to the vault at the token's next nonce (or
 * `options.nonce`), valid for an hour, as POST /v1/redemptions takes it. `signedAmount` signs another value.
 */
export async function signRedemption(
  stack: Stack,
  retailer: HDNodeWallet | Wallet,
  program: { id: number; name: string; token: string },
  amount: string,
  options: { deadline?: number; nonce?: bigint; signedAmount?: string; signer?: HDNodeWallet | Wallet } = {},
) {
  const deadline = options.deadline ?? Math.floor(Date.now() / 1000) + 3600;
  const permit = {
    owner: retailer.address,
    spender: stack.deployment.contracts.vault,
    value: tokens(options.signedAmount ?? amount),
    nonce: options.nonce ?? (await stack.chain.token(program.token).nonces(retailer.address)),
    deadline: BigInt(deadline),
  };
  const domain = rewardTokenDomain(program.name, BigInt(stack.chain.chainId), program.token);
  const signature = await (options.signer ?? retailer).signTypedData(domain, PERMIT_TYPES, permit);
  return { programId: program.id, amount, permit: { deadline, signature } };
}

/** A redemption worker in this process with dev worker key 1, as workers/redemptions.ts runs one. */
export const startTestRedemptionWorker = (stack: Stack) =>
  startInProcessWorker(stack, DEV_WORKER_KEYS[1], startRedemptionWorker);

/**
 * Runs the redemption worker for the rest of the current test only: a test file's other tests hold their
 * redemptions open because no worker runs there.
 */
export async function redemptionWorkerForThisTest(stack: Stack) {
  const worker = await startTestRedemptionWorker(stack);
  onTestFinished(() => worker.close());
}

/** Polls a redemption (as `api`, a client allowed to read it) until it is confirmed or failed. */
export const settled = (api: { get(url: string): Promise<{ status: number; body: any }> }, id: number) =>
  eventually(() => api.get(`/v1/redemptions/${id}`), (r) => r.body.status === "confirmed" || r.body.status === "failed");
