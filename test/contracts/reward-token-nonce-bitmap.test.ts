import { beforeEach, describe, expect, it } from "vitest";
import { rewardTokenDomain, signTransferAuthorization, VRS } from "../../services/chain/eip3009.js";
import { PaymentNonces } from "../../services/core/payment-nonces.js";
import type { RewardToken } from "../../types/ethers-contracts/index.js";
import { eventsNamed, expectRevert, receiptOf } from "./assertions.js";
import { connectNetwork, tokens } from "./fixture.js";

const { ethers, networkHelpers, accounts, deployNetwork } = await connectNetwork();
const { operator, collector, retailer } = accounts;

describe("RewardToken's bitmap of used authorization nonces", () => {
  let token: RewardToken;
  let nonces: PaymentNonces;

  beforeEach(async () => {
    const { createProgram } = await networkHelpers.loadFixture(deployNetwork);
    token = await createProgram();
    await receiptOf(token.connect(operator).mint(collector.address, tokens(100), 1n));
    nonces = new PaymentNonces();
  });

  async function pay(nonce: string, value = tokens(1)) {
    const { chainId } = await ethers.provider.getNetwork();
    const domain = rewardTokenDomain(await token.name(), chainId, await token.getAddress());
    const validBefore = BigInt(await networkHelpers.time.latest()) + 3_600n;
    return signTransferAuthorization(collector, domain, {
      from: collector.address,
      to: retailer.address,
      value,
      validAfter: 0n,
      validBefore,
      nonce,
    });
  }

  it("settles nonces that share a word in any order, each once", async () => {
    const [first, second, third] = [nonces.take(), nonces.take(), nonces.take()] as [string, string, string];
    const signed = await Promise.all([third, first, second].map((nonce) => pay(nonce)));
    const receipt = await receiptOf(token.transferWithAuthorizationBatch(signed));
    expect(eventsNamed(receipt, token, "AuthorizationUsed").map((e) => e.args.nonce)).toEqual([third, first, second]);
    for (const nonce of [first, second, third]) expect(await token.authorizationState(collector.address, nonce)).toBe(true);
    expect(await token.authorizationState(collector.address, nonces.take())).toBe(false);

    const replay = signed[1]!;
    await expectRevert(
      token[VRS.transferWithAuthorization](replay.from, replay.to, replay.value, replay.validAfter, replay.validBefore, replay.nonce, replay.v, replay.r, replay.s),
      token,
      "ERC3009UsedAuthorization",
      [collector.address, first],
    );
    expect(await token.balanceOf(retailer.address)).toBe(tokens(3));
  });

  it("keeps every payer's bitmap apart: the same nonce is fresh for another payer", async () => {
    const nonce = nonces.take();
    await receiptOf(token.transferWithAuthorizationBatch([await pay(nonce)]));
    expect(await token.authorizationState(collector.address, nonce)).toBe(true);
    expect(await token.authorizationState(retailer.address, nonce)).toBe(false);
  });

  it("costs a fraction of a first payment for the next nonce of the same prefix", async () => {
    const first = await receiptOf(token.transferWithAuthorizationBatch([await pay(nonces.take())]));
    const next = await receiptOf(token.transferWithAuthorizationBatch([await pay(nonces.take())]));
    // The first creates the word (a zero-to-nonzero store, 20k); the next flips a bit in it.
    expect(first.gasUsed - next.gasUsed).toBeGreaterThan(15_000n);
  });

  it("draws a new random prefix after 256 nonces and can be resumed from its saved state", () => {
    const sequence = new PaymentNonces();
    const taken = Array.from({ length: 257 }, () => sequence.take());
    expect(new Set(taken).size).toBe(257);
    expect(taken[255]!.slice(0, 64)).toBe(taken[0]!.slice(0, 64));
    expect(taken[256]!.slice(0, 64)).not.toBe(taken[0]!.slice(0, 64));
    const resumed = new PaymentNonces(sequence.state());
    expect(resumed.take()).toBe(new PaymentNonces(sequence.state()).take());
  });
});
