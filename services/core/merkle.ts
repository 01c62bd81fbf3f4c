import { AbiCoder, concat, keccak256 } from "ethers";

/**
 * The Merkle tree of a lot's collection event ids, as LotCertificate.contains checks it: leaves are
 * OpenZeppelin StandardMerkleTree's encoding of a single uint256 (hashed twice, so no leaf is ever the
 * 64-byte preimage of an inner node), pairs are hashed sorted as MerkleProof.verify expects, and the
 * leaves stand in ascending event-id order so the same set of ids always gives the same root.
 */
export interface EventTree {
  /** Event ids in leaf order (ascending, no duplicates). */
  eventIds: bigint[];
  /** layers[0] are the leaves, the last layer holds the root alone. */
  layers: string[][];
  root: string;
}

const coder = AbiCoder.defaultAbiCoder();

/** keccak256(bytes.concat(keccak256(abi.encode(eventId)))), as the contract computes it. */
export function eventLeaf(eventId: bigint): string {
  return keccak256(keccak256(coder.encode(["uint256"], [eventId])));
}

/** Hashes two nodes in sorted order: a verifier then needs no left/right flags in the proof. */
export function hashPair(a: string, b: string): string {
  return BigInt(a) <= BigInt(b) ? keccak256(concat([a, b])) : keccak256(concat([b, a]));
}

/** Builds the tree of `eventIds` (any order); throws on an empty set or a repeated id. */
export function buildEventTree(eventIds: readonly bigint[]): EventTree {
  if (eventIds.length === 0) throw new Error("a Merkle tree needs at least one event id");
  const sorted = [...eventIds].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  for (let i = 1; i < sorted.length; i++) {
    if (sorted[i] === sorted[i - 1]) throw new Error(`event id ${sorted[i]} appears twice`);
  }
  const layers: string[][] = [sorted.map(eventLeaf)];
  for (let layer = layers[0] as string[]; layer.length > 1; ) {
    const next: string[] = [];
    // An odd node out is carried up unhashed, so its proof simply has one sibling fewer.
    for (let i = 0; i < layer.length; i += 2) {
      next.push(i + 1 < layer.length ? hashPair(layer[i] as string, layer[i + 1] as string) : (layer[i] as string));
    }
    layers.push(next);
    layer = next;
  }
  return { eventIds: sorted, layers, root: (layers.at(-1) as string[])[0] as string };
}

/** The siblings from `eventId`'s leaf up to the root; throws when the id is not in the tree. */
export function proofFor(tree: EventTree, eventId: bigint): string[] {
  let index = tree.eventIds.indexOf(eventId);
  if (index < 0) throw new Error(`event id ${eventId} is not in the tree`);
  const proof: string[] = [];
  for (const layer of tree.layers.slice(0, -1)) {
    const sibling = index ^ 1;
    if (sibling < layer.length) proof.push(layer[sibling] as string);
    index >>= 1;
  }
  return proof;
}

/** MerkleProof.verify in TypeScript: folds the proof into the leaf and compares with the root. */
export function verifyProof(root: string, eventId: bigint, proof: readonly string[]): boolean {
  const computed = proof.reduce((node, sibling) => hashPair(node, sibling), eventLeaf(eventId));
  return computed.toLowerCase() === root.toLowerCase();
}
