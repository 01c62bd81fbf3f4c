import { Wallet, ZeroHash } from "ethers";
import { describe, expect, it } from "vitest";
import { checkLotProof, type LotChainView, type LotProofReply } from "../../../services/core/lot-proof-check.js";
import { buildEventTree, eventLeaf, proofFor } from "../../../services/core/merkle.js";

const certificate = Wallet.createRandom().address;
const tree = buildEventTree([11n, 12n, 13n, 14n, 15n]);

/** An honest answer for event 13 of lot 4, and a chain that agrees with it. */
function honest(): { reply: LotProofReply; chain: LotChainView } {
  return {
    reply: { lotId: 4, eventId: 13, leaf: eventLeaf(13n), proof: proofFor(tree, 13n), root: tree.root, certificate },
    chain: { certificate: certificate.toLowerCase(), root: tree.root, contains: true },
  };
}

describe("checking a lot proof", () => {
  it("finds nothing wrong with an honest answer the chain accepts", () => {
    const { reply, chain } = honest();
    expect(checkLotProof(4n, 13n, reply, chain)).toEqual([]);
  });

  it("refuses a tampered proof, even when the leaf and roots agree", () => {
    const { reply, chain } = honest();
    const proof = [...reply.proof];
    proof[0] = eventLeaf(99n);
    expect(checkLotProof(4n, 13n, { ...reply, proof }, { ...chain, contains: false })).toEqual([
      expect.stringContaining("does not fold"),
      expect.stringContaining("contains(4, 13, proof) is false"),
    ]);
  });

  it("refuses an answer for another drop-off or lot, or with another event's leaf", () => {
    const { reply, chain } = honest();
    const other = { ...reply, eventId: 12, leaf: eventLeaf(12n), proof: proofFor(tree, 12n) };
    const problems = checkLotProof(4n, 13n, other, chain);
    expect(problems).toContainEqual(expect.stringContaining("answered for event 12, not 13"));
    expect(problems).toContainEqual(expect.stringContaining("is not event 13's"));
    expect(checkLotProof(5n, 13n, reply, chain)).toEqual([expect.stringContaining("answered for lot 4, not 5")]);
  });

  it("refuses a root the chain does not hold, and a lot never certified", () => {
    const { reply, chain } = honest();
    const otherRoot = buildEventTree([1n, 2n]).root;
    expect(checkLotProof(4n, 13n, reply, { ...chain, root: otherRoot })).toEqual([expect.stringContaining("the chain's root for lot 4")]);
    expect(checkLotProof(4n, 13n, reply, { ...chain, root: ZeroHash, contains: false })).toEqual([
      expect.stringContaining("not certified on chain"),
      expect.stringContaining("is false"),
    ]);
  });

  it("refuses a certificate other than the address book's", () => {
    const { reply, chain } = honest();
    expect(checkLotProof(4n, 13n, { ...reply, certificate: Wallet.createRandom().address }, chain)).toEqual([
      expect.stringContaining("the API names certificate"),
    ]);
  });
});
