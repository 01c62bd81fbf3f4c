import fc from "fast-check";
import { AbiCoder, keccak256 } from "ethers";
import { describe, expect, it } from "vitest";
import { buildEventTree, eventLeaf, hashPair, proofFor, verifyProof } from "../../../services/core/merkle.js";

const ids = fc.uniqueArray(fc.bigInt({ min: 0n, max: 2n ** 256n - 1n }), { minLength: 1, maxLength: 40 });

describe("the event Merkle tree", () => {
  it("encodes a leaf as StandardMerkleTree does for one uint256", () => {
    const encoded = AbiCoder.defaultAbiCoder().encode(["uint256"], [7n]);
    expect(eventLeaf(7n)).toBe(keccak256(keccak256(encoded)));
  });

  it("hashes pairs in sorted order", () => {
    const [a, b] = [eventLeaf(1n), eventLeaf(2n)];
    expect(hashPair(a, b)).toBe(hashPair(b, a));
  });

  it("has the leaf itself as the root of a one-event lot, with an empty proof", () => {
    const tree = buildEventTree([9n]);
    expect(tree.root).toBe(eventLeaf(9n));
    expect(proofFor(tree, 9n)).toEqual([]);
    expect(verifyProof(tree.root, 9n, [])).toBe(true);
  });

  it("gives the same root for the same ids in any order", () => {
    expect(buildEventTree([3n, 1n, 2n]).root).toBe(buildEventTree([2n, 3n, 1n]).root);
    expect(buildEventTree([1n, 2n, 3n]).root).not.toBe(buildEventTree([1n, 2n, 4n]).root);
  });

  it("proves every member and no id outside the tree", () => {
    fc.assert(
      fc.property(ids, fc.bigInt({ min: 0n, max: 2n ** 256n - 1n }), (eventIds, outsider) => {
        const tree = buildEventTree(eventIds);
        for (const id of eventIds) expect(verifyProof(tree.root, id, proofFor(tree, id))).toBe(true);
        if (!eventIds.includes(outsider)) {
          expect(() => proofFor(tree, outsider)).toThrow("not in the tree");
          const borrowed = proofFor(tree, eventIds[0] as bigint);
          expect(verifyProof(tree.root, outsider, borrowed)).toBe(false);
        }
      }),
      { numRuns: 50 },
    );
  });

  it("refuses an empty set and a repeated id", () => {
    expect(() => buildEventTree([])).toThrow("at least one");
    expect(() => buildEventTree([1n, 2n, 1n])).toThrow("appears twice");
  });
});
