import { parseUnits, TypedDataEncoder, Wallet } from "ethers";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { rewardTokenDomain, TRANSFER_WITH_AUTHORIZATION_TYPES } from "../../../services/chain/eip3009.js";
import {
  addedKeySignature, addedPasskeySignature, keySigner, passkeySigner, type SignerChange, signerChangeDigest, signerId,
} from "../../../services/core/account-signers.js";
import { CollectorAccount__factory } from "../../../types/ethers-contracts/index.js";
import { SoftwarePasskey } from "../../../harness/lib/software-passkey.js";
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

/** Signs a digest as the account reads it: its first passkey's own form, or an added signer's tagged one. */
type Signs = (digest: string) => string;

type Scene = PasskeyScene;

async function signerNonce(account: string) {
  if ((await stack.chain.provider.getCode(account)) === "0x") return 0n;
  return CollectorAccount__factory.connect(account, stack.chain.provider).signerNonce();
}

/** POST /v1/account-signers with `change` signed by `sign`; `create` names the first passkey for an account not created yet. */
async function relay(s: Scene, change: Omit<SignerChange, "nonce" | "deadline"> & Partial<SignerChange>, sign: Signs, create = false) {
  // From the chain's clock: the run's Hardhat node, mining a block for each transaction of every file, runs ahead of ours.
  const chainNow = (await stack.chain.provider.getBlock("latest"))!.timestamp;
  const signed: SignerChange = { nonce: await signerNonce(s.account), deadline: BigInt(chainNow + 600), ...change };
  const signature = sign(signerChangeDigest(BigInt(stack.chain.chainId), s.account, signed));
  const body = {
    account: s.account, change: signed.kind, signer: signed.signer, nonce: Number(signed.nonce), deadline: Number(signed.deadline), signature,
    ...(create ? { passkey: { qx: s.passkey.qx, qy: s.passkey.qy } } : {}),
  };
  return { body, reply: await anonymous(stack).post("/v1/account-signers", body) };
}

async function pay(s: Scene, amount: string, sign: Signs) {
  const authorization = {
    from: s.account, to: s.shop.address, value: parseUnits(amount, 18),
    validAfter: 0n, validBefore: BigInt(Math.floor(Date.now() / 1000) + 3600), nonce: s.nonces.take(),
  };
  const domain = rewardTokenDomain(s.program.name, BigInt(stack.chain.chainId), s.program.token);
  const signature = sign(TypedDataEncoder.hash(domain, TRANSFER_WITH_AUTHORIZATION_TYPES, authorization));
  const body = { programId: s.program.id, authorization: { ...authorization, value: amount, validBefore: Number(authorization.validBefore), validAfter: 0 }, signature };
  return anonymous(stack).post("/v1/payments", body);
}
const settledPayment = (id: number) =>
  eventually(() => asAdmin(stack).get(`/v1/payments/${id}`).then((r) => r.body), (p) => p.status === "included" || p.status === "confirmed");

describe("relaying a change of a passkey account's signers", () => {
  it("creates the account with a second passkey, finds it by that key, and pays with it", async () => {
    const s = await passkeyScene(stack);
    const phone = new SoftwarePasskey();
    const first: Signs = (digest) => s.passkey.assert(digest);
    const { body, reply } = await relay(s, { kind: "add", signer: passkeySigner(phone) }, first, true);
    expect(reply.status, JSON.stringify(reply.body)).toBe(201);
    expect(reply.body).toMatchObject({ account: s.account, change: "add", signer: passkeySigner(phone).toLowerCase(), signerId: signerId(passkeySigner(phone)) });
    expect(["included", "confirmed"]).toContain(reply.body.status);
    expect(await stack.chain.provider.getCode(s.account)).not.toBe("0x");
    // The same request again joins the first write: one transaction.
    const again = await anonymous(stack).post("/v1/account-signers", body);
    expect(again.status, JSON.stringify(again.body)).toBe(201);
    expect(again.body.txHash).toBe(reply.body.txHash);

    const found = await anonymous(stack).get(`/v1/account-signers?signer=${passkeySigner(phone)}`);
    expect(found.status).toBe(200);
    expect(found.body.accounts).toEqual([s.account]);
    const stranger = await anonymous(stack).get(`/v1/account-signers?signer=${passkeySigner(new SoftwarePasskey())}`);
    expect(stranger.body.accounts).toEqual([]);

    const paid = await pay(s, "2", (digest) => addedPasskeySignature(phone, phone.assert(digest)));
    expect(paid.status, JSON.stringify(paid.body)).toBe(202);
    await settledPayment(paid.body.id);
    expect(await stack.chain.token(s.program.token).balanceOf(s.shop.address)).toBe(parseUnits("2", 18));
  });

  it("refuses a stranger's, a conflicting, an out-of-order and an expired change before sending anything", async () => {
    const s = await passkeyScene(stack);
    const first: Signs = (digest) => s.passkey.assert(digest);
    const stranger = new SoftwarePasskey();
    const byStranger = await relay(s, { kind: "add", signer: passkeySigner(stranger) }, (digest) => stranger.assert(digest), true);
    expect(byStranger.reply.status).toBe(400);
    expect(byStranger.reply.body.error.code).toBe("RC_COLLECTOR_ACCOUNT_UNAUTHORIZED");
    const notNamed = await relay(s, { kind: "add", signer: passkeySigner(stranger) }, first);
    expect(notNamed.reply.body.error.code).toBe("RC_ACCOUNT_NOT_CREATED");

    const recovery = Wallet.createRandom();
    const added = await relay(s, { kind: "add", signer: keySigner(recovery.address) }, first, true);
    expect(added.reply.status, JSON.stringify(added.reply.body)).toBe(201);
    const conflicting = await relay(s, { kind: "add", signer: passkeySigner(stranger), nonce: 0n }, first);
    expect(conflicting.reply.status).toBe(409);
    expect(conflicting.reply.body.error.code).toBe("RC_SIGNER_CHANGE_CONFLICT");
    const ahead = await relay(s, { kind: "add", signer: passkeySigner(stranger), nonce: 5n }, first);
    expect(ahead.reply.body.error.code).toBe("RC_COLLECTOR_ACCOUNT_INVALID_NONCE");
    const late = await relay(s, { kind: "add", signer: passkeySigner(stranger), deadline: BigInt(Math.min(Math.floor(Date.now() / 1000), (await stack.chain.provider.getBlock("latest"))!.timestamp) - 1) }, first);
    expect(late.reply.body.error.code).toBe("RC_SIGNATURE_EXPIRED");
    expect(await signerNonce(s.account)).toBe(1n);
  });

  it("lets a recovery key remove a lost phone, whose payments are refused from then on", async () => {
    const s = await passkeyScene(stack);
    const [phone, recovery] = [new SoftwarePasskey(), Wallet.createRandom()];
    const byPhone: Signs = (digest) => addedPasskeySignature(phone, phone.assert(digest));
    const byRecovery: Signs = (digest) => addedKeySignature(recovery.address, recovery.signingKey.sign(digest).serialized);
    expect((await relay(s, { kind: "add", signer: passkeySigner(phone) }, (digest) => s.passkey.assert(digest), true)).reply.status).toBe(201);
    expect((await relay(s, { kind: "add", signer: keySigner(recovery.address) }, byPhone)).reply.status).toBe(201);
    const paid = await pay(s, "1", byRecovery);
    expect(paid.status, JSON.stringify(paid.body)).toBe(202);
    await settledPayment(paid.body.id);

    const removed = await relay(s, { kind: "remove", signer: passkeySigner(phone) }, byRecovery);
    expect(removed.reply.status, JSON.stringify(removed.reply.body)).toBe(201);
    expect((await anonymous(stack).get(`/v1/account-signers?signer=${passkeySigner(phone)}`)).body.accounts).toEqual([]);
    const refused = await pay(s, "1", byPhone);
    expect(refused.status).toBe(400);
    expect(refused.body.error.code).toBe("RC_INVALID_SIGNATURE");
  });
});
