import { parseUnits, TypedDataEncoder, Wallet } from "ethers";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { rewardTokenDomain, TRANSFER_WITH_AUTHORIZATION_TYPES } from "../../../services/chain/eip3009.js";
import { SoftwarePasskey, wrappedForCreation } from "../../../harness/lib/software-passkey.js";
import { eventually } from "../../support/earn-fixtures.js";
import { anonymous, asAdmin, startTestPaymentWorker } from "../../support/payment-fixtures.js";
import { passkeyScene, type PasskeyScene } from "../../support/passkey-fixtures.js";
import { startStack, type Stack } from "../../support/stack.js";

let stack: Stack;
let worker: Awaited<ReturnType<typeof startTestPaymentWorker>>;
beforeAll(async () => {
  stack = await startStack();
  worker = await startTestPaymentWorker(stack);
});
afterAll(async () => {
  await worker?.close();
  await stack?.close();
});

type Scene = PasskeyScene;

/** The phone's payment: the passkey asserts the EIP-712 digest; wrapped as ERC-6492 while the account is not created. */
async function passkeyPayment(scene: Scene, amount: string, options: { wrap?: boolean; signer?: SoftwarePasskey; factory?: string } = {}) {
  const authorization = {
    from: scene.account, to: scene.shop.address, value: parseUnits(amount, 18),
    validAfter: 0n, validBefore: BigInt(Math.floor(Date.now() / 1000) + 3600), nonce: scene.nonces.take(),
  };
  const domain = rewardTokenDomain(scene.program.name, BigInt(stack.chain.chainId), scene.program.token);
  const signer = options.signer ?? scene.passkey;
  let signature = signer.assert(TypedDataEncoder.hash(domain, TRANSFER_WITH_AUTHORIZATION_TYPES, authorization));
  if (options.wrap) {
    signature = wrappedForCreation(options.factory ?? (await scene.factory.getAddress()), signer, signature);
  }
  const body = {
    programId: scene.program.id,
    authorization: { ...authorization, value: amount, validAfter: 0, validBefore: Number(authorization.validBefore) },
    signature,
  };
  return anonymous(stack).post("/v1/payments", body);
}

const read = (id: number) => asAdmin(stack).get(`/v1/payments/${id}`).then((reply) => reply.body);

describe("a payment from a passkey account", () => {
  it("creates the account in front of its first payment, and pays by assertion after", async () => {
    const scene = await passkeyScene(stack);
    expect(await stack.chain.provider.getCode(scene.account)).toBe("0x");
    const first = await passkeyPayment(scene, "2", { wrap: true });
    expect(first.status, JSON.stringify(first.body)).toBe(202);
    await eventually(() => read(first.body.id), (p) => p.status === "included" || p.status === "confirmed");
    expect(await stack.chain.provider.getCode(scene.account)).not.toBe("0x");

    const second = await passkeyPayment(scene, "3");
    expect(second.status, JSON.stringify(second.body)).toBe(202);
    await eventually(() => read(second.body.id), (p) => p.status === "included" || p.status === "confirmed");
    const token = stack.chain.token(scene.program.token);
    expect(await token.balanceOf(scene.shop.address)).toBe(parseUnits("5", 18));
    expect(await token.balanceOf(scene.account)).toBe(parseUnits("5", 18));
  });

  it("is refused before it is stored when the chain would refuse it", async () => {
    const scene = await passkeyScene(stack);
    const refusals = [
      ["another passkey's assertion", await passkeyPayment(scene, "1", { wrap: true, signer: new SoftwarePasskey() })],
      ["another factory", await passkeyPayment(scene, "1", { wrap: true, factory: Wallet.createRandom().address })],
      ["an account not created yet, unwrapped", await passkeyPayment(scene, "1")],
    ] as const;
    for (const [what, reply] of refusals) {
      expect(reply.status, what).toBe(400);
      expect(reply.body.error.code, what).toBe("RC_INVALID_SIGNATURE");
    }
    const [stored] = await stack.sql`select count(*)::int as n from payments where payer = ${scene.account}`;
    expect(stored!.n).toBe(0);
    expect(await stack.chain.provider.getCode(scene.account)).toBe("0x");
  });
});
