import { VRS } from "../../services/chain/eip3009.js";
import { ZeroAddress } from "ethers";
import type { TypedDataDomain } from "ethers";
import { beforeEach, describe, expect, it } from "vitest";
import type { RewardToken } from "../../types/ethers-contracts/index.js";
import { eventsNamed, expectEvent, expectRevert, receiptOf } from "./assertions.js";
import { connectNetwork, tokens } from "./fixture.js";

const { ethers, networkHelpers, accounts, deployNetwork } = await connectNetwork();
const { operator, collector, collector2, retailer, stranger } = accounts;
const { time } = networkHelpers;
type Signer = typeof collector;
/** A signed EIP-3009 authorization, in the shape of IRewardToken.Authorization. */
interface Authorization {
  from: string; to: string; value: bigint; validAfter: bigint; validBefore: bigint; nonce: string; v: number; r: string; s: string;
}

/** `SkipReason` of IRewardToken. */
const Skip = { NotYetValid: 0n, Expired: 1n, AlreadyUsed: 2n, InvalidSignature: 3n, InvalidRecipient: 4n, InsufficientBalance: 5n, ClosedLoop: 6n } as const;
const AUTHORIZATION_FIELDS = [
  { name: "from", type: "address" }, { name: "to", type: "address" }, { name: "value", type: "uint256" },
  { name: "validAfter", type: "uint256" }, { name: "validBefore", type: "uint256" }, { name: "nonce", type: "bytes32" },
];
const newNonce = () => ethers.hexlify(ethers.randomBytes(32));

async function domainOf(token: RewardToken): Promise<TypedDataDomain> {
  const { chainId } = await ethers.provider.getNetwork();
  return { name: await token.name(), version: "1", chainId, verifyingContract: await token.getAddress() };
}

/** Signs an EIP-3009 authorization of `signer`'s (by default valid for the next hour, fresh nonce). */
async function authorize(
  token: RewardToken,
  signer: Signer,
  fields: { to: string; value: bigint; validAfter?: bigint; validBefore?: bigint; nonce?: string; from?: string },
  kind: "TransferWithAuthorization" | "ReceiveWithAuthorization" = "TransferWithAuthorization",
): Promise<Authorization> {
  const now = BigInt(await time.latest());
  const message = {
    from: fields.from ?? signer.address, to: fields.to, value: fields.value,
    validAfter: fields.validAfter ?? 0n, validBefore: fields.validBefore ?? now + 3600n, nonce: fields.nonce ?? newNonce(),
  };
  const signature = await signer.signTypedData(await domainOf(token), { [kind]: AUTHORIZATION_FIELDS }, message);
  const { v, r, s } = ethers.Signature.from(signature);
  return { ...message, v, r, s };
}

const transferWith = (token: RewardToken, a: Authorization) =>
  token[VRS.transferWithAuthorization](a.from, a.to, a.value, a.validAfter, a.validBefore, a.nonce, a.v, a.r, a.s);

async function signCancel(token: RewardToken, signer: Signer, authorizer: string, nonce: string) {
  const types = { CancelAuthorization: [{ name: "authorizer", type: "address" }, { name: "nonce", type: "bytes32" }] };
  return ethers.Signature.from(await signer.signTypedData(await domainOf(token), types, { authorizer, nonce }));
}

describe("RewardToken authorizations", () => {
  let token: RewardToken;
  let createProgram: Awaited<ReturnType<typeof deployNetwork>>["createProgram"];

  beforeEach(async () => {
    ({ createProgram } = await networkHelpers.loadFixture(deployNetwork));
    token = await createProgram();
    await receiptOf(token.connect(operator).mint(collector.address, tokens(100), 1n));
  });

  it("uses the program's name, version 1, the chain id and the clone's address as EIP-712 domain", async () => {
    const [, name, version, chainId, verifyingContract] = await token.eip712Domain();
    expect({ name, version, chainId, verifyingContract }).toEqual(await domainOf(token));
    expect(name).toBe("Plastic Credit");
  });

  describe("transferWithAuthorization", () => {
    it("settles a valid authorization, relayed by anyone, and emits AuthorizationUsed and Transfer", async () => {
      const a = await authorize(token, collector, { to: retailer.address, value: tokens(30) });
      expect(await token.authorizationState(collector.address, a.nonce)).toBe(false);

      const receipt = await receiptOf(transferWith(token.connect(stranger), a));

      expectEvent(receipt, token, "AuthorizationUsed", [collector.address, a.nonce]);
      expectEvent(receipt, token, "Transfer", [collector.address, retailer.address, tokens(30)]);
      expect(await token.balanceOf(collector.address)).toBe(tokens(70));
      expect(await token.balanceOf(retailer.address)).toBe(tokens(30));
      expect(await token.authorizationState(collector.address, a.nonce)).toBe(true);
    });

    it("rejects a replayed authorization", async () => {
      const a = await authorize(token, collector, { to: retailer.address, value: tokens(30) });
      await receiptOf(transferWith(token, a));

      await expectRevert(transferWith(token, a), token, "ERC3009UsedAuthorization", [collector.address, a.nonce]);
      expect(await token.balanceOf(retailer.address)).toBe(tokens(30));
    });

    it("rejects an expired authorization", async () => {
      const now = BigInt(await time.latest());
      const a = await authorize(token, collector, { to: retailer.address, value: 1n, validAfter: 0n, validBefore: now + 60n });
      await time.increase(61);

      await expectRevert(transferWith(token, a), token, "ERC3009InvalidAuthorizationTime", [0n, now + 60n]);
      expect(await token.authorizationState(collector.address, a.nonce)).toBe(false);
    });

    it("rejects an authorization that is not yet valid, and settles it once it is", async () => {
      const now = BigInt(await time.latest());
      const validAfter = now + 600n;
      const a = await authorize(token, collector, { to: retailer.address, value: 1n, validAfter, validBefore: now + 3600n });

      await expectRevert(transferWith(token, a), token, "ERC3009InvalidAuthorizationTime", [validAfter, now + 3600n]);
      await time.increase(601);
      await receiptOf(transferWith(token, a));
      expect(await token.balanceOf(retailer.address)).toBe(1n);
    });

    it("treats validAfter and validBefore as exclusive bounds", async () => {
      const now = BigInt(await time.latest());
      const [after, before] = [now + 100n, now + 200n];
      const early = await authorize(token, collector, { to: retailer.address, value: 1n, validAfter: after, validBefore: before });
      const late = await authorize(token, collector, { to: retailer.address, value: 1n, validAfter: after, validBefore: before });

      await time.setNextBlockTimestamp(after);
      await expectRevert(transferWith(token, early), token, "ERC3009InvalidAuthorizationTime", [after, before]);
      await time.setNextBlockTimestamp(before - 1n);
      await receiptOf(transferWith(token, early));
      await time.setNextBlockTimestamp(before);
      await expectRevert(transferWith(token, late), token, "ERC3009InvalidAuthorizationTime", [after, before]);
    });

    it("rejects an authorization signed by someone other than `from`", async () => {
      const a = await authorize(token, stranger, { from: collector.address, to: stranger.address, value: tokens(1) });
      await expectRevert(transferWith(token, a), token, "ERC3009InvalidSignature", []);
      expect(await token.balanceOf(stranger.address)).toBe(0n);
    });

    it("rejects an authorization whose amount was changed after signing", async () => {
      const a = await authorize(token, collector, { to: retailer.address, value: tokens(1) });
      await expectRevert(transferWith(token, { ...a, value: tokens(50) }), token, "ERC3009InvalidSignature", []);
    });

    it("rejects an authorization signed for another program's token", async () => {
      const other = await createProgram({ name: "Glass Points", symbol: "GLP" });
      await receiptOf(other.connect(operator).mint(collector.address, tokens(100), 1n));
      const forToken = await authorize(token, collector, { to: retailer.address, value: tokens(1) });

      await expectRevert(transferWith(other, forToken), other, "ERC3009InvalidSignature", []);
    });
  });

  describe("cancelAuthorization", () => {
    it("cancels an unused authorization so that using it fails", async () => {
      const a = await authorize(token, collector, { to: retailer.address, value: tokens(1) });
      const { v, r, s } = await signCancel(token, collector, collector.address, a.nonce);

      const receipt = await receiptOf(token.connect(stranger)[VRS.cancelAuthorization](collector.address, a.nonce, v, r, s));

      expectEvent(receipt, token, "AuthorizationCanceled", [collector.address, a.nonce]);
      expect(await token.authorizationState(collector.address, a.nonce)).toBe(true);
      await expectRevert(transferWith(token, a), token, "ERC3009UsedAuthorization", [collector.address, a.nonce]);
    });

    it("rejects a cancellation signed by someone else", async () => {
      const nonce = newNonce();
      const { v, r, s } = await signCancel(token, stranger, collector.address, nonce);
      await expectRevert(token[VRS.cancelAuthorization](collector.address, nonce, v, r, s), token, "ERC3009InvalidSignature", []);
      expect(await token.authorizationState(collector.address, nonce)).toBe(false);
    });

    it("rejects cancelling an authorization that was already used", async () => {
      const a = await authorize(token, collector, { to: retailer.address, value: tokens(1) });
      await receiptOf(transferWith(token, a));
      const { v, r, s } = await signCancel(token, collector, collector.address, a.nonce);
      await expectRevert(token[VRS.cancelAuthorization](collector.address, a.nonce, v, r, s), token, "ERC3009UsedAuthorization", [
        collector.address,
        a.nonce,
      ]);
    });
  });

  describe("receiveWithAuthorization", () => {
    it("settles when called by the payee", async () => {
      const a = await authorize(token, collector, { to: retailer.address, value: tokens(2) }, "ReceiveWithAuthorization");
      const receipt = await receiptOf(
        token.connect(retailer)[VRS.receiveWithAuthorization](a.from, a.to, a.value, a.validAfter, a.validBefore, a.nonce, a.v, a.r, a.s),
      );
      expectEvent(receipt, token, "AuthorizationUsed", [collector.address, a.nonce]);
      expect(await token.balanceOf(retailer.address)).toBe(tokens(2));
    });

    it("rejects a caller other than the payee, so a front-runner cannot settle it", async () => {
      const a = await authorize(token, collector, { to: retailer.address, value: tokens(2) }, "ReceiveWithAuthorization");
      const call = token
        .connect(stranger)
        [VRS.receiveWithAuthorization](a.from, a.to, a.value, a.validAfter, a.validBefore, a.nonce, a.v, a.r, a.s);
      await expectRevert(call, token, "ERC20InvalidReceiver", [retailer.address]);
      expect(await token.authorizationState(collector.address, a.nonce)).toBe(false);
    });

    it("does not accept a TransferWithAuthorization signature", async () => {
      const a = await authorize(token, collector, { to: retailer.address, value: tokens(2) });
      const call = token.connect(retailer)[VRS.receiveWithAuthorization](a.from, a.to, a.value, a.validAfter, a.validBefore, a.nonce, a.v, a.r, a.s);
      await expectRevert(call, token, "ERC3009InvalidSignature", []);
    });
  });

  describe("transferWithAuthorizationBatch", () => {
    it("settles the good authorizations and skips each bad one with its reason, leaving its nonce unused", async () => {
      const closed = await createProgram({ closedLoop: true, name: "Closed Credit", symbol: "CLC" });
      await receiptOf(closed.connect(operator).grantRole(await closed.ACCEPTOR_ROLE(), retailer.address));
      await receiptOf(closed.connect(operator).mint(collector.address, tokens(10), 1n));
      const now = BigInt(await time.latest());
      const pay = (fields: Parameters<typeof authorize>[2], signer: Signer = collector) => authorize(closed, signer, fields);
      const used = await pay({ to: retailer.address, value: 1n });
      await receiptOf(transferWith(closed, used));

      const good1 = await pay({ to: retailer.address, value: tokens(2) });
      const skipped: [Authorization, bigint][] = [
        [await pay({ to: retailer.address, value: 1n, validAfter: now + 3600n, validBefore: now + 7200n }), Skip.NotYetValid],
        [await pay({ to: retailer.address, value: 1n, validBefore: now - 1n }), Skip.Expired],
        [used, Skip.AlreadyUsed],
        [await pay({ from: collector.address, to: stranger.address, value: 1n }, stranger), Skip.InvalidSignature],
        [await pay({ to: ZeroAddress, value: 1n }), Skip.InvalidRecipient],
        [await pay({ to: retailer.address, value: tokens(1000) }), Skip.InsufficientBalance],
        [await pay({ to: collector2.address, value: 1n }), Skip.ClosedLoop],
      ];
      const good2 = await pay({ to: retailer.address, value: tokens(3) });
      const batch = [good1, ...skipped.map(([a]) => a), good2];
      const relay = closed.connect(stranger);
      expect(await relay.transferWithAuthorizationBatch.staticCall(batch)).toBe(2n);

      const receipt = await receiptOf(relay.transferWithAuthorizationBatch(batch));

      const reasons = eventsNamed(receipt, closed, "AuthorizationSkipped").map((e) => [e.args[0], e.args[1], e.args[2]]);
      expect(reasons).toEqual(skipped.map(([a, reason]) => [collector.address, a.nonce, reason]));
      expect(eventsNamed(receipt, closed, "AuthorizationUsed").map((e) => e.args[1])).toEqual([good1.nonce, good2.nonce]);
      expect(await closed.balanceOf(retailer.address)).toBe(tokens(5) + 1n);
      expect(await closed.balanceOf(collector2.address)).toBe(0n);
      for (const [a, reason] of skipped) {
        if (reason !== Skip.AlreadyUsed) expect(await closed.authorizationState(collector.address, a.nonce)).toBe(false);
      }
      // A skipped authorization can still settle once its condition clears.
      const [notYetValid] = skipped[0] as [Authorization, bigint];
      await time.increase(3601);
      await receiptOf(transferWith(closed, notYetValid));
      expect(await closed.authorizationState(collector.address, notYetValid.nonce)).toBe(true);
    });

    it("settles an authorization repeated in the same batch only once", async () => {
      const a = await authorize(token, collector, { to: retailer.address, value: tokens(10) });
      expect(await token.transferWithAuthorizationBatch.staticCall([a, a])).toBe(1n);

      const receipt = await receiptOf(token.transferWithAuthorizationBatch([a, a]));

      expectEvent(receipt, token, "AuthorizationSkipped", [collector.address, a.nonce, Skip.AlreadyUsed]);
      expect(eventsNamed(receipt, token, "AuthorizationUsed")).toHaveLength(1);
      expect(await token.balanceOf(retailer.address)).toBe(tokens(10));
    });

    it("checks balances as earlier items of the batch settle", async () => {
      const first = await authorize(token, collector, { to: retailer.address, value: tokens(60) });
      const second = await authorize(token, collector, { to: retailer.address, value: tokens(60) });

      const receipt = await receiptOf(token.transferWithAuthorizationBatch([first, second]));

      expectEvent(receipt, token, "AuthorizationSkipped", [collector.address, second.nonce, Skip.InsufficientBalance]);
      expect(await token.balanceOf(retailer.address)).toBe(tokens(60));
    });

    it("applies the same exclusive time bounds as transferWithAuthorization", async () => {
      const now = BigInt(await time.latest());
      const [after, before] = [now + 100n, now + 200n];
      const a = await authorize(token, collector, { to: retailer.address, value: 1n, validAfter: after, validBefore: before });

      await time.setNextBlockTimestamp(after);
      let receipt = await receiptOf(token.transferWithAuthorizationBatch([a]));
      expectEvent(receipt, token, "AuthorizationSkipped", [collector.address, a.nonce, Skip.NotYetValid]);
      await time.setNextBlockTimestamp(before);
      receipt = await receiptOf(token.transferWithAuthorizationBatch([a]));
      expectEvent(receipt, token, "AuthorizationSkipped", [collector.address, a.nonce, Skip.Expired]);
      expect(await token.authorizationState(collector.address, a.nonce)).toBe(false);
    });
  });

  describe("permit (ERC-2612)", () => {
    async function signPermit(spender: string, value: bigint, deadline: bigint, nonce?: bigint) {
      const fields = ["owner", "spender", "value", "nonce", "deadline"];
      const types = { Permit: fields.map((name) => ({ name, type: name === "owner" || name === "spender" ? "address" : "uint256" })) };
      const message = { owner: collector.address, spender, value, nonce: nonce ?? (await token.nonces(collector.address)), deadline };
      return { message, types, sig: ethers.Signature.from(await collector.signTypedData(await domainOf(token), types, message)) };
    }

    it("sets an allowance from a signature made over the program's name", async () => {
      const deadline = BigInt(await time.latest()) + 3600n;
      const { sig } = await signPermit(retailer.address, tokens(7), deadline);

      const receipt = await receiptOf(
        token.connect(stranger)[VRS.permit](collector.address, retailer.address, tokens(7), deadline, sig.v, sig.r, sig.s),
      );

      expectEvent(receipt, token, "Approval", [collector.address, retailer.address, tokens(7)]);
      expect(await token.allowance(collector.address, retailer.address)).toBe(tokens(7));
      expect(await token.nonces(collector.address)).toBe(1n);
    });

    it("rejects a replayed permit", async () => {
      const deadline = BigInt(await time.latest()) + 3600n;
      const { sig, message, types } = await signPermit(retailer.address, tokens(7), deadline);
      await receiptOf(token[VRS.permit](collector.address, retailer.address, tokens(7), deadline, sig.v, sig.r, sig.s));

      // Replayed, the signature recovers to some other address, since the owner's nonce moved on.
      const recovered = ethers.verifyTypedData(await domainOf(token), types, { ...message, nonce: 1n }, sig);
      await expectRevert(token[VRS.permit](collector.address, retailer.address, tokens(7), deadline, sig.v, sig.r, sig.s), token, "ERC2612InvalidSigner", [
        recovered,
        collector.address,
      ]);
    });

    it("rejects an expired permit", async () => {
      const deadline = BigInt(await time.latest()) + 10n;
      const { sig } = await signPermit(retailer.address, tokens(7), deadline);
      await time.increase(11);
      await expectRevert(token[VRS.permit](collector.address, retailer.address, tokens(7), deadline, sig.v, sig.r, sig.s), token, "ERC2612ExpiredSignature", [
        deadline,
      ]);
    });
  });
});
