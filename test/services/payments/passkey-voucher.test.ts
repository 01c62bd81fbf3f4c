import { parseUnits, TypedDataEncoder } from "ethers";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { rewardTokenDomain, TRANSFER_WITH_AUTHORIZATION_TYPES } from "../../../services/chain/eip3009.js";
import { encodeVoucher } from "../../../services/core/voucher.js";
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

/**
 * The phone's offline voucher: the passkey asserts the EIP-712 digest once, wrapped as ERC-6492 while the account is
 * not created (as the app signs), and the voucher is made of that signature. `tamper` changes the terms afterwards.
 */
async function passkeyVoucher(scene: Scene, amount: string, options: { signer?: SoftwarePasskey; tamper?: { value: string } } = {}) {
  const terms = {
    programId: scene.program.id, from: scene.account, to: scene.shop.address, value: parseUnits(amount, 18),
    validAfter: 0, validBefore: Math.floor(Date.now() / 1000) + 3600, nonce: scene.nonces.take(),
  };
  const domain = rewardTokenDomain(scene.program.name, BigInt(stack.chain.chainId), scene.program.token);
  const message = { ...terms, validAfter: BigInt(terms.validAfter), validBefore: BigInt(terms.validBefore) };
  const signer = options.signer ?? scene.passkey;
  const assertion = signer.assert(TypedDataEncoder.hash(domain, TRANSFER_WITH_AUTHORIZATION_TYPES, message));
  const exists = (await stack.chain.provider.getCode(scene.account)) !== "0x";
  const signature = exists ? assertion : wrappedForCreation(await scene.factory.getAddress(), signer, assertion);
  const value = options.tamper ? parseUnits(options.tamper.value, 18) : terms.value;
  return encodeVoucher({ ...terms, value, signature });
}

const submit = (voucher: string) => anonymous(stack).post("/v1/payments", { voucher });
const read = (id: number) => asAdmin(stack).get(`/v1/payments/${id}`).then((reply) => reply.body);

describe("an offline voucher from a passkey account", () => {
  it("is wrapped by the API while the account does not exist, creating it in the batch, and pays plainly after", async () => {
    const scene = await passkeyScene(stack);
    const first = await submit(await passkeyVoucher(scene, "2"));
    expect(first.status, JSON.stringify(first.body)).toBe(202);
    expect(first.body.source).toBe("voucher");
    await eventually(() => read(first.body.id), (p) => p.status === "included" || p.status === "confirmed");
    expect(await stack.chain.provider.getCode(scene.account)).not.toBe("0x");

    const second = await submit(await passkeyVoucher(scene, "3"));
    expect(second.status, JSON.stringify(second.body)).toBe(202);
    await eventually(() => read(second.body.id), (p) => p.status === "included" || p.status === "confirmed");
    const token = stack.chain.token(scene.program.token);
    expect(await token.balanceOf(scene.shop.address)).toBe(parseUnits("5", 18));
    expect(await token.balanceOf(scene.account)).toBe(parseUnits("5", 18));
    const [stored] = await stack.sql`select signature from payments where id = ${first.body.id}`;
    expect(stored!.signature).toMatch(/6492649264926492649264926492649264926492649264926492649264926492$/);

    // Its account now exists: terms changed after signing fail the account's own check.
    const changed = await submit(await passkeyVoucher(scene, "1", { tamper: { value: "4" } }));
    expect(changed.status).toBe(400);
    expect(changed.body.error.code).toBe("RC_INVALID_SIGNATURE");
  });

  it("is refused before it is stored when its terms were changed, another passkey signed it, or it is cut short", async () => {
    const scene = await passkeyScene(stack);
    const good = await passkeyVoucher(scene, "1");
    const refusals = [
      ["terms changed after signing (the challenge put back is not the one signed)", await passkeyVoucher(scene, "1", { tamper: { value: "2" } }), "RC_INVALID_SIGNATURE"],
      ["another passkey's voucher", await passkeyVoucher(scene, "1", { signer: new SoftwarePasskey() }), "RC_INVALID_SIGNATURE"],
      ["cut short", good.slice(0, -20), "RC_INVALID_VOUCHER"],
      ["another version", good.replace("recircle:v2:", "recircle:v9:"), "RC_INVALID_VOUCHER"],
    ] as const;
    for (const [what, voucher, code] of refusals) {
      const reply = await submit(voucher);
      expect(reply.status, what).toBe(400);
      expect(reply.body.error.code, what).toBe(code);
    }
    const [stored] = await stack.sql`select count(*)::int as n from payments where payer = ${scene.account}`;
    expect(stored!.n).toBe(0);
    expect(await stack.chain.provider.getCode(scene.account)).toBe("0x");
  });
});
