import { hexlify, randomBytes, Wallet } from "ethers";
import { beforeAll, describe, expect, it } from "vitest";
import { SIGNED, TRANSFER_WITH_AUTHORIZATION_TYPES } from "../../services/chain/eip3009.js";
import {
  addedKeySignature, addedPasskeySignature, keySigner, passkeySigner, type SignerChange, signerChangeDigest, signerId,
} from "../../services/core/account-signers.js";
import type { CollectorAccount, CollectorAccountFactory, RewardToken } from "../../types/ethers-contracts/index.js";
import { SoftwarePasskey } from "../../harness/lib/software-passkey.js";
import { eventsNamed, expectRevert, receiptOf } from "./assertions.js";
import { connectNetwork, tokens } from "./fixture.js";

const { ethers, networkHelpers, accounts, deployNetwork } = await connectNetwork();
const { operator, retailer, stranger } = accounts;
const { time } = networkHelpers;
const MAGIC = "0x1626ba7e";
const INVALID = "0xffffffff";

let factory: CollectorAccountFactory;
let token: RewardToken;
let chainId: bigint;
let nextEventId = 1n;
beforeAll(async () => {
  factory = (await ethers.deployContract("CollectorAccountFactory")) as unknown as CollectorAccountFactory;
  token = await (await deployNetwork()).createProgram();
  chainId = (await ethers.provider.getNetwork()).chainId;
});

/** Something that signs a digest in the form the account reads: the first passkey's own, or an added signer's tagged. */
type Signs = (digest: string) => string;
const firstPasskey = (passkey: SoftwarePasskey): Signs => (digest) => passkey.assert(digest);
const addedPasskey = (passkey: SoftwarePasskey): Signs => (digest) => addedPasskeySignature(passkey, passkey.assert(digest));
const addedKey = (wallet: Pick<Wallet, "address" | "signingKey">): Signs => (digest) => addedKeySignature(wallet.address, wallet.signingKey.sign(digest).serialized);

/** A passkey's account, not created yet, with its address. */
async function freshAccount() {
  const passkey = new SoftwarePasskey();
  const address = await factory.accountAddress(passkey.qx, passkey.qy);
  return { passkey, address, account: (await ethers.getContractAt("CollectorAccount", address)) as unknown as CollectorAccount };
}

async function change(account: CollectorAccount, kind: SignerChange["kind"], signer: string, sign: Signs, overrides: Partial<SignerChange> = {}) {
  const exists = (await ethers.provider.getCode(await account.getAddress())) !== "0x";
  const signed: SignerChange = { kind, signer, nonce: exists ? await account.signerNonce() : 0n, deadline: BigInt(await time.latest()) + 600n, ...overrides };
  return { ...signed, signature: sign(signerChangeDigest(chainId, await account.getAddress(), signed)) };
}
type Signed = Awaited<ReturnType<typeof change>>;
const send = (account: CollectorAccount, c: Signed) =>
  (c.kind === "add" ? account.connect(stranger).addSigner : account.connect(stranger).removeSigner)(c.signer, c.nonce, c.deadline, c.signature);

/** Creates the account and adds `signer` to it in one call through the factory, signed by its first passkey. */
async function createdWith(signer: string) {
  const fresh = await freshAccount();
  const c = await change(fresh.account, "add", signer, firstPasskey(fresh.passkey));
  await receiptOf(factory.connect(stranger).createAccountAndAddSigner(fresh.passkey.qx, fresh.passkey.qy, c.signer, c.nonce, c.deadline, c.signature));
  return fresh;
}

/** `from`'s payment of 1 token to the retailer through transferWithAuthorization's bytes form, signed by `sign`. */
async function pay(from: string, sign: Signs) {
  const message = { from, to: retailer.address, value: tokens(1), validAfter: 0n, validBefore: BigInt(await time.latest()) + 3600n, nonce: hexlify(randomBytes(32)) };
  const domain = { name: await token.name(), version: "1", chainId, verifyingContract: await token.getAddress() };
  const signature = sign(ethers.TypedDataEncoder.hash(domain, TRANSFER_WITH_AUTHORIZATION_TYPES, message));
  return token.connect(stranger)[SIGNED.transferWithAuthorization](message.from, message.to, message.value, message.validAfter, message.validBefore, message.nonce, signature);
}

describe("a passkey account's added signers", () => {
  it("is created and given a second passkey in one call, signed by the first before the account exists", async () => {
    const fresh = await freshAccount();
    const second = passkeySigner(new SoftwarePasskey());
    const c = await change(fresh.account, "add", second, firstPasskey(fresh.passkey));
    const receipt = await receiptOf(factory.connect(stranger).createAccountAndAddSigner(fresh.passkey.qx, fresh.passkey.qy, c.signer, c.nonce, c.deadline, c.signature));
    const [added] = eventsNamed(receipt, fresh.account, "SignerAdded");
    expect(added!.args.toObject()).toEqual({ signerId: signerId(second), signer: second });
    expect(await fresh.account.isSigner(second)).toBe(true);
    expect(await fresh.account.isSigner(passkeySigner(fresh.passkey))).toBe(true);
    expect(await fresh.account.signerNonce()).toBe(1n);
  });

  it("adds and removes a recovery key, each change signed by a signer and sent by anyone", async () => {
    const recovery = Wallet.createRandom();
    const phone = new SoftwarePasskey();
    const { account, passkey } = await createdWith(passkeySigner(phone));
    const add = await receiptOf(send(account, await change(account, "add", keySigner(recovery.address), addedPasskey(phone))));
    expect(eventsNamed(add, account, "SignerAdded")[0]!.args.toObject()).toEqual({ signerId: signerId(keySigner(recovery.address)), signer: keySigner(recovery.address) });
    // The recovery key removes the second phone, then the first passkey removes the recovery key.
    const removePhone = await receiptOf(send(account, await change(account, "remove", passkeySigner(phone), addedKey(recovery))));
    expect(eventsNamed(removePhone, account, "SignerRemoved")[0]!.args.toObject()).toEqual({ signerId: signerId(passkeySigner(phone)), signer: passkeySigner(phone) });
    await receiptOf(send(account, await change(account, "remove", keySigner(recovery.address), firstPasskey(passkey))));
    expect(await account.isSigner(passkeySigner(phone))).toBe(false);
    expect(await account.isSigner(keySigner(recovery.address))).toBe(false);
    expect(await account.signerNonce()).toBe(4n);
  });

  it("refuses a change signed by a stranger, replayed, expired, or for what it cannot be", async () => {
    const { account, passkey } = await createdWith(passkeySigner(new SoftwarePasskey()));
    const stranger = new SoftwarePasskey();
    const strangers = await change(account, "add", passkeySigner(stranger), firstPasskey(stranger));
    const digest = signerChangeDigest(chainId, await account.getAddress(), strangers);
    await expectRevert(send(account, strangers), account, "CollectorAccountUnauthorized", [digest]);
    // A stranger naming itself in the tagged form is no signer either.
    await expectRevert(send(account, { ...strangers, signature: addedPasskey(stranger)(digest) }), account, "CollectorAccountUnauthorized", [digest]);

    const recovery = keySigner(Wallet.createRandom().address);
    const signed = await change(account, "add", recovery, firstPasskey(passkey));
    await receiptOf(send(account, signed));
    await expectRevert(send(account, signed), account, "CollectorAccountInvalidNonce", [signed.nonce, signed.nonce + 1n]);

    const late = await change(account, "remove", recovery, firstPasskey(passkey), { deadline: BigInt(await time.latest()) + 10n });
    await time.increase(60);
    await expectRevert(send(account, late), account, "CollectorAccountAuthorizationExpired", [late.deadline, BigInt(await time.latest()) + 1n]);

    const again = await change(account, "add", recovery, firstPasskey(passkey));
    await expectRevert(send(account, again), account, "CollectorAccountSignerExists", [recovery]);
    const first = await change(account, "remove", passkeySigner(passkey), firstPasskey(passkey));
    await expectRevert(send(account, first), account, "CollectorAccountSignerUnknown", [passkeySigner(passkey)]);
    const offCurve = `0x${"11".repeat(64)}`;
    await expectRevert(send(account, await change(account, "add", offCurve, firstPasskey(passkey))), account, "CollectorAccountSignerMalformed", [offCurve]);
    const zero = `0x${"00".repeat(20)}`;
    await expectRevert(send(account, await change(account, "add", zero, firstPasskey(passkey))), account, "CollectorAccountSignerMalformed", [zero]);
  });

  it("pays with the added passkey and the recovery key, and no longer once they are removed", async () => {
    const [phone, recovery] = [new SoftwarePasskey(), Wallet.createRandom()];
    const { account, passkey, address } = await createdWith(passkeySigner(phone));
    await receiptOf(send(account, await change(account, "add", keySigner(recovery.address), firstPasskey(passkey))));
    await receiptOf(token.connect(operator).mint(address, tokens(10), nextEventId++));

    await receiptOf(pay(address, firstPasskey(passkey)));
    await receiptOf(pay(address, addedPasskey(phone)));
    await receiptOf(pay(address, addedKey(recovery)));
    expect(await token.balanceOf(address)).toBe(tokens(7));

    await receiptOf(send(account, await change(account, "remove", passkeySigner(phone), firstPasskey(passkey))));
    await receiptOf(send(account, await change(account, "remove", keySigner(recovery.address), firstPasskey(passkey))));
    await expectRevert(pay(address, addedPasskey(phone)), token, "ERC3009InvalidSignature", []);
    await expectRevert(pay(address, addedKey(recovery)), token, "ERC3009InvalidSignature", []);
    await receiptOf(pay(address, firstPasskey(passkey)));
  });

  it("answers ERC-1271 only for a signer it has, in the form that names it", async () => {
    const [phone, recovery] = [new SoftwarePasskey(), Wallet.createRandom()];
    const { account, passkey } = await createdWith(passkeySigner(phone));
    await receiptOf(send(account, await change(account, "add", keySigner(recovery.address), firstPasskey(passkey))));
    const hash = hexlify(randomBytes(32));
    expect(await account.isValidSignature(hash, addedPasskey(phone)(hash))).toBe(MAGIC);
    expect(await account.isValidSignature(hash, addedKey(recovery)(hash))).toBe(MAGIC);
    const refused: [string, string][] = [
      ["the added passkey in the first passkey's form", phone.assert(hash)],
      ["the recovery key's bare ECDSA signature", recovery.signingKey.sign(hash).serialized],
      ["the added passkey's assertion under the recovery key's name", addedPasskeySignature(passkey, phone.assert(hash))],
      ["the recovery key's signature of another digest", addedKey(recovery)(hexlify(randomBytes(32)))],
      ["a key that was never added", addedKey(Wallet.createRandom())(hash)],
      ["a tag and nothing else", "0x01"],
      ["an unknown tag", `0x03${addedKey(recovery)(hash).slice(4)}`],
    ];
    for (const [what, signature] of refused) expect(await account.isValidSignature(hash, signature), what).toBe(INVALID);
  });

  it("never takes a change signed for another account or another nonce (property)", async () => {
    const [a, b] = [await createdWith(passkeySigner(new SoftwarePasskey())), await createdWith(passkeySigner(new SoftwarePasskey()))];
    // b's first passkey is added to a, so the same person signs for both: only the digest tells them apart.
    const shared = new SoftwarePasskey();
    await receiptOf(send(a.account, await change(a.account, "add", passkeySigner(shared), firstPasskey(a.passkey))));
    await receiptOf(send(b.account, await change(b.account, "add", passkeySigner(shared), firstPasskey(b.passkey))));
    for (let round = 0; round < 8; round++) {
      const signer = keySigner(Wallet.createRandom().address);
      const [nonceA, nonceB] = [await a.account.signerNonce(), await b.account.signerNonce()];
      const forB = await change(b.account, "add", signer, addedPasskey(shared));
      const forA = { ...forB, nonce: nonceA };
      const digestA = signerChangeDigest(chainId, a.address, forA);
      await expectRevert(send(a.account, forA), a.account, "CollectorAccountUnauthorized", [digestA]);
      const forLaterNonce = await change(a.account, "add", signer, addedPasskey(shared), { nonce: nonceA + 1n + BigInt(round) });
      await expectRevert(send(a.account, { ...forLaterNonce, nonce: nonceA }), a.account, "CollectorAccountUnauthorized", [
        signerChangeDigest(chainId, a.address, { ...forLaterNonce, nonce: nonceA }),
      ]);
      await receiptOf(send(b.account, forB));
      expect(await b.account.signerNonce()).toBe(nonceB + 1n);
      expect(await a.account.isSigner(signer)).toBe(false);
    }
  });
});
