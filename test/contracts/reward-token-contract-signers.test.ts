import { AbiCoder, concat, hexlify, randomBytes, type TypedDataDomain, Wallet } from "ethers";
import { beforeAll, describe, expect, it } from "vitest";
import { SIGNED, TRANSFER_WITH_AUTHORIZATION_TYPES } from "../../services/chain/eip3009.js";
import { PERMIT_TYPES } from "../../services/chain/eip2612.js";
import type { CollectorAccountFactory, RewardToken } from "../../types/ethers-contracts/index.js";
import { ERC6492_MAGIC, SoftwarePasskey, wrappedForCreation } from "../../harness/lib/software-passkey.js";
import { eventsNamed, expectRevert, receiptOf } from "./assertions.js";
import { connectNetwork, tokens } from "./fixture.js";

const { ethers, networkHelpers, accounts, deployNetwork } = await connectNetwork();
const { governance, operator, retailer, stranger } = accounts;
const { time } = networkHelpers;
/** `SkipReason` of IRewardToken. */
const Skip = { NotYetValid: 0n, Expired: 1n, AlreadyUsed: 2n, InvalidSignature: 3n, InsufficientBalance: 5n } as const;
const RECEIVE_TYPES = { ReceiveWithAuthorization: TRANSFER_WITH_AUTHORIZATION_TYPES.TransferWithAuthorization };
const CANCEL_TYPES = { CancelAuthorization: [{ name: "authorizer", type: "address" }, { name: "nonce", type: "bytes32" }] };

let factory: CollectorAccountFactory;
let token: RewardToken;
let otherToken: RewardToken;
let nextEventId = 1n;
beforeAll(async () => {
  factory = (await ethers.deployContract("CollectorAccountFactory")) as unknown as CollectorAccountFactory;
  const network = await deployNetwork();
  token = await network.createProgram();
  otherToken = await network.createProgram({ name: "Other Credit", symbol: "OTH" });
});

/** Whoever signs for a payer: a key (ECDSA) or a passkey account (ERC-1271), created or not yet. */
interface Payer {
  address: string;
  sign(domain: TypedDataDomain, types: Record<string, { name: string; type: string }[]>, message: Record<string, unknown>): Promise<string>;
}

function keyPayer(): Payer {
  const wallet = Wallet.createRandom();
  return { address: wallet.address, sign: (domain, types, message) => wallet.signTypedData(domain, types, message) };
}

/** A passkey's account; `wrapped` signs as ERC-6492 says an account not created yet must, naming its factory. */
async function passkeyPayer(options: { wrapped?: boolean } = {}): Promise<Payer & { passkey: SoftwarePasskey }> {
  const passkey = new SoftwarePasskey();
  const address = await factory.accountAddress(passkey.qx, passkey.qy);
  return {
    address,
    passkey,
    async sign(domain, types, message) {
      const assertion = passkey.assert(ethers.TypedDataEncoder.hash(domain, types, message));
      if (!options.wrapped) return assertion;
      return wrappedForCreation(await factory.getAddress(), passkey, assertion);
    },
  };
}

async function domainOf(of: RewardToken, chainId?: bigint): Promise<TypedDataDomain> {
  return { name: await of.name(), version: "1", chainId: chainId ?? (await ethers.provider.getNetwork()).chainId, verifyingContract: await of.getAddress() };
}

async function credit(to: string, amount: bigint, of: RewardToken = token) {
  await receiptOf(of.connect(operator).mint(to, amount, nextEventId++));
}

/** A signed authorization of `payer`'s, in the shape of IRewardToken.SignedAuthorization. */
async function authorize(payer: Payer, fields: { to?: string; value: bigint; nonce?: string; validBefore?: bigint }, options: { of?: RewardToken; chainId?: bigint } = {}) {
  const now = BigInt(await time.latest());
  const message = {
    from: payer.address, to: fields.to ?? retailer.address, value: fields.value,
    validAfter: 0n, validBefore: fields.validBefore ?? now + 3600n, nonce: fields.nonce ?? hexlify(randomBytes(32)),
  };
  const signature = await payer.sign(await domainOf(options.of ?? token, options.chainId), TRANSFER_WITH_AUTHORIZATION_TYPES, message);
  return { ...message, signature };
}

type Signed = Awaited<ReturnType<typeof authorize>>;
const transferSigned = (a: Signed, of: RewardToken = token) =>
  of[SIGNED.transferWithAuthorization](a.from, a.to, a.value, a.validAfter, a.validBefore, a.nonce, a.signature);

describe("EIP-3009 with the signature as bytes", () => {
  it("takes a key's ECDSA signature and a created passkey account's WebAuthn assertion alike", async () => {
    const key = keyPayer();
    const account = await passkeyPayer();
    await receiptOf(factory.createAccount(account.passkey.qx, account.passkey.qy));
    for (const payer of [key, account]) {
      await credit(payer.address, tokens(5));
      const a = await authorize(payer, { value: tokens(2) });
      const receipt = await receiptOf(transferSigned(a));
      expect(eventsNamed(receipt, token, "AuthorizationUsed").map((e) => e.args.authorizer)).toEqual([payer.address]);
      expect(await token.balanceOf(payer.address)).toBe(tokens(3));
      await expectRevert(transferSigned(a), token, "ERC3009UsedAuthorization", [payer.address, a.nonce]);
    }
  });

  it("creates a passkey account credited before it existed, in the call of its first payment, once", async () => {
    const payer = await passkeyPayer({ wrapped: true });
    await credit(payer.address, tokens(4));
    expect(await ethers.provider.getCode(payer.address)).toBe("0x");
    const receipt = await receiptOf(transferSigned(await authorize(payer, { value: tokens(1) })));
    expect(eventsNamed(receipt, factory, "CollectorAccountCreated").map((e) => e.args.account)).toEqual([payer.address]);
    expect(await token.balanceOf(payer.address)).toBe(tokens(3));
    // Still wrapped (the phone does not know yet that it exists): the account is used as it is, not made again.
    const again = await receiptOf(transferSigned(await authorize(payer, { value: tokens(1) })));
    expect(eventsNamed(again, factory, "CollectorAccountCreated")).toHaveLength(0);
    expect(await token.balanceOf(retailer.address)).toBeGreaterThanOrEqual(tokens(2));
  });

  it("never makes a call a wrapper asks for other than an account's creation", async () => {
    const payer = await passkeyPayer();
    await credit(payer.address, tokens(3));
    await credit(await token.getAddress(), tokens(3));
    const a = await authorize(payer, { value: tokens(1) });
    // A wrapper asking the token to move its own tokens to a stranger, then to pay.
    const theft = token.interface.encodeFunctionData("transfer", [stranger.address, tokens(3)]);
    const wrapped = concat([AbiCoder.defaultAbiCoder().encode(["address", "bytes", "bytes"], [await token.getAddress(), theft, a.signature]), ERC6492_MAGIC]);
    await expectRevert(transferSigned({ ...a, signature: wrapped }), token, "ERC3009InvalidSignature", []);
    expect(await token.balanceOf(stranger.address)).toBe(0n);
    expect(await token.balanceOf(await token.getAddress())).toBe(tokens(3));
  });

  it("moves nothing while the token is paused, in either form", async () => {
    const payer = await passkeyPayer({ wrapped: true });
    await credit(payer.address, tokens(2), otherToken);
    const a = await authorize(payer, { value: tokens(1) }, { of: otherToken });
    await receiptOf(otherToken.connect(governance).pause());
    await expectRevert(transferSigned(a, otherToken), otherToken, "EnforcedPause", []);
    await expectRevert(otherToken.transferWithSignedAuthorizationBatch([a]), otherToken, "EnforcedPause", []);
    await receiptOf(otherToken.connect(governance).unpause());
    await receiptOf(transferSigned(a, otherToken));
    expect(await otherToken.balanceOf(payer.address)).toBe(tokens(1));
  });

  it("receives only for the payee, and cancels by the account's own signature", async () => {
    const payer = await passkeyPayer({ wrapped: true });
    await credit(payer.address, tokens(3));
    const now = BigInt(await time.latest());
    const message = { from: payer.address, to: retailer.address, value: tokens(1), validAfter: 0n, validBefore: now + 3600n, nonce: hexlify(randomBytes(32)) };
    const signature = await payer.sign(await domainOf(token), RECEIVE_TYPES, message);
    const receive = (as: typeof retailer) =>
      token.connect(as)[SIGNED.receiveWithAuthorization](message.from, message.to, message.value, message.validAfter, message.validBefore, message.nonce, signature);
    await expectRevert(receive(stranger), token, "ERC20InvalidReceiver", [retailer.address]);
    await receiptOf(receive(retailer));
    expect(await token.balanceOf(payer.address)).toBe(tokens(2));

    const nonce = hexlify(randomBytes(32));
    const cancel = await payer.sign(await domainOf(token), CANCEL_TYPES, { authorizer: payer.address, nonce });
    const forged = await keyPayer().sign(await domainOf(token), CANCEL_TYPES, { authorizer: payer.address, nonce });
    await expectRevert(token[SIGNED.cancelAuthorization](payer.address, nonce, forged), token, "ERC3009InvalidSignature", []);
    const receipt = await receiptOf(token.connect(stranger)[SIGNED.cancelAuthorization](payer.address, nonce, cancel));
    expect(eventsNamed(receipt, token, "AuthorizationCanceled")).toHaveLength(1);
    expect(await token.authorizationState(payer.address, nonce)).toBe(true);
  });

  it("permits a spender for a passkey account, and refuses another signer and a late one", async () => {
    const payer = await passkeyPayer({ wrapped: true });
    const deadline = BigInt(await time.latest()) + 600n;
    const message = async (value: bigint) => ({ owner: payer.address, spender: retailer.address, value, nonce: await token.nonces(payer.address), deadline });
    const forged = await keyPayer().sign(await domainOf(token), PERMIT_TYPES, await message(tokens(9)));
    await expectRevert(token[SIGNED.permit](payer.address, retailer.address, tokens(9), deadline, forged), token, "RewardTokenInvalidPermitSignature", [payer.address]);
    const signature = await payer.sign(await domainOf(token), PERMIT_TYPES, await message(tokens(7)));
    await receiptOf(token[SIGNED.permit](payer.address, retailer.address, tokens(7), deadline, signature));
    expect(await token.allowance(payer.address, retailer.address)).toBe(tokens(7));
    expect(await token.nonces(payer.address)).toBe(1n);
    const late = await payer.sign(await domainOf(token), PERMIT_TYPES, { ...(await message(tokens(1))), deadline: deadline - 1_000n });
    await expectRevert(token[SIGNED.permit](payer.address, retailer.address, tokens(1), deadline - 1_000n, late), token, "ERC2612ExpiredSignature", [deadline - 1_000n]);
  });
});

describe("the signed batch relay", () => {
  it("settles keys', accounts' and a new account's payments in one transaction, and skips what it must", async () => {
    const key = keyPayer();
    const account = await passkeyPayer();
    await receiptOf(factory.createAccount(account.passkey.qx, account.passkey.qy));
    const fresh = await passkeyPayer({ wrapped: true });
    const poor = await passkeyPayer({ wrapped: true });
    for (const payer of [key, account, fresh]) await credit(payer.address, tokens(5));
    const good = [await authorize(key, { value: tokens(1) }), await authorize(account, { value: tokens(2) }), await authorize(fresh, { value: tokens(3) })];
    const forged = { ...(await authorize(account, { value: tokens(1) })), signature: (await authorize(fresh, { value: tokens(1) })).signature };
    const broke = await authorize(poor, { value: tokens(1) });
    const expired = await authorize(key, { value: tokens(1), validBefore: BigInt(await time.latest()) - 1n });

    const batch = [...good, forged, broke, expired];
    expect(await token.connect(stranger).transferWithSignedAuthorizationBatch.staticCall(batch)).toBe(3n);
    const receipt = await receiptOf(token.connect(stranger).transferWithSignedAuthorizationBatch(batch));
    expect(eventsNamed(receipt, token, "AuthorizationUsed").map((e) => e.args.authorizer)).toEqual(good.map((a) => a.from));
    expect(eventsNamed(receipt, token, "AuthorizationSkipped").map((e) => [e.args.authorizer, e.args.reason])).toEqual([
      [account.address, Skip.InvalidSignature],
      // The poor account was created (its signature checks out) and holds nothing.
      [poor.address, Skip.InsufficientBalance],
      [key.address, Skip.Expired],
    ]);
    expect(eventsNamed(receipt, factory, "CollectorAccountCreated").map((e) => e.args.account)).toEqual([fresh.address, poor.address]);
    expect([await token.balanceOf(key.address), await token.balanceOf(account.address), await token.balanceOf(fresh.address)]).toEqual([tokens(4), tokens(3), tokens(2)]);

    const again = await receiptOf(token.transferWithSignedAuthorizationBatch(good));
    expect(eventsNamed(again, token, "AuthorizationSkipped").map((e) => e.args.reason)).toEqual([Skip.AlreadyUsed, Skip.AlreadyUsed, Skip.AlreadyUsed]);
  });

  it("costs a passkey payment what its P-256 check adds, next to a key's", async () => {
    const key = keyPayer();
    const account = await passkeyPayer();
    await receiptOf(factory.createAccount(account.passkey.qx, account.passkey.qy));
    const gasOf = async (payer: Payer) => {
      await credit(payer.address, tokens(5));
      await credit(payer.address, tokens(1));
      // A second payment of the same payer and payee: warm balances, as most payments are.
      await receiptOf(token.transferWithSignedAuthorizationBatch([await authorize(payer, { value: tokens(1) })]));
      const batch = await Promise.all(Array.from({ length: 10 }, () => authorize(payer, { value: tokens(0.1) })));
      return (await receiptOf(token.transferWithSignedAuthorizationBatch(batch))).gasUsed / 10n;
    };
    const [keyGas, passkeyGas] = [await gasOf(key), await gasOf(account)];
    expect(passkeyGas).toBeGreaterThan(keyGas);
    expect(passkeyGas - keyGas).toBeLessThan(40_000n);
    console.info(`a payment in a signed batch of 10: ${keyGas} gas from a key, ${passkeyGas} from a passkey account`);
  });
});

describe("a signature for one authorization never passes for another", () => {
  it("of another token, chain, account or nonce (eight trials, keys and passkey accounts)", async () => {
    const chainId = (await ethers.provider.getNetwork()).chainId;
    for (let trial = 0; trial < 8; trial++) {
      const payer = trial % 2 === 0 ? keyPayer() : await passkeyPayer({ wrapped: true });
      const other = trial % 2 === 0 ? keyPayer() : await passkeyPayer({ wrapped: true });
      await credit(payer.address, tokens(5));
      await credit(other.address, tokens(5));
      const a = await authorize(payer, { value: tokens(1) });
      const variants: [string, Signed][] = [
        ["another token", (await authorize(payer, { value: tokens(1), nonce: a.nonce }, { of: otherToken }))],
        ["another chain", await authorize(payer, { value: tokens(1), nonce: a.nonce }, { chainId: chainId + 1n })],
        ["another account", { ...a, from: other.address }],
        ["another nonce", { ...a, nonce: hexlify(randomBytes(32)) }],
        ["another amount", { ...a, value: tokens(2) }],
      ];
      for (const [what, variant] of variants) {
        // Each variant is what the signature would have to pass as on this token: same fields, other signature.
        const presented = what === "another token" || what === "another chain" ? { ...a, signature: variant.signature } : variant;
        const receipt = await receiptOf(token.transferWithSignedAuthorizationBatch([presented]));
        expect(eventsNamed(receipt, token, "AuthorizationSkipped").map((e) => e.args.reason), `${what}, trial ${trial}`).toEqual([Skip.InvalidSignature]);
      }
      await receiptOf(transferSigned(a));
      expect(await token.balanceOf(payer.address), `trial ${trial}`).toBe(tokens(4));
    }
  });
});
