import { getAddress, ZeroHash } from "ethers";
import { eventLeaf, verifyProof } from "./merkle.js";

/** What `GET /v1/lots/:id/proof/:collectionId` answers. */
export interface LotProofReply {
  lotId: number;
  eventId: number;
  leaf: string;
  proof: string[];
  root: string;
  certificate: string;
}

/** What the chain says, read from the address book's LotCertificate (never the one the API names). */
export interface LotChainView {
  certificate: string;
  /** merkleRootOf(lotId): ZeroHash when the lot was never certified. */
  root: string;
  /** contains(lotId, eventId, reply.proof). */
  contains: boolean;
}

/**
 * Every reason not to believe that drop-off `eventId` is inside lot `lotId`; empty when the proof holds.
 * Pure, so the script's verdict can be tested without a chain: the checks are independent (the leaf is the
 * asked event's, the proof folds to the API's root, and the chain holds that root and accepts the proof),
 * and all are reported, not just the first, so a person sees at once where the API and chain part ways.
 */
export function checkLotProof(lotId: bigint, eventId: bigint, reply: LotProofReply, chain: LotChainView): string[] {
  const problems: string[] = [];
  // The API could answer for another lot or drop-off than the one asked; a valid proof of that proves nothing.
  if (BigInt(reply.lotId) !== lotId) problems.push(`the API answered for lot ${reply.lotId}, not ${lotId}`);
  if (BigInt(reply.eventId) !== eventId) problems.push(`the API answered for event ${reply.eventId}, not ${eventId}`);
  if (reply.leaf.toLowerCase() !== eventLeaf(eventId).toLowerCase()) {
    problems.push(`the leaf ${reply.leaf} is not event ${eventId}'s (${eventLeaf(eventId)})`);
  }
  if (!verifyProof(reply.root, eventId, reply.proof)) {
    problems.push(`the proof does not fold event ${eventId}'s leaf into the API's root ${reply.root}`);
  }
  if (!sameAddress(reply.certificate, chain.certificate)) {
    problems.push(`the API names certificate ${reply.certificate}, the address book ${chain.certificate}`);
  }
  if (chain.root === ZeroHash) problems.push(`lot ${lotId} is not certified on chain (merkleRootOf is zero)`);
  else if (chain.root.toLowerCase() !== reply.root.toLowerCase()) {
    problems.push(`the chain's root for lot ${lotId} is ${chain.root}, the API's ${reply.root}`);
  }
  if (!chain.contains) problems.push(`the certificate's contains(${lotId}, ${eventId}, proof) is false`);
  return problems;
}

/** Compares checksummed; a malformed address is simply not the same one. */
function sameAddress(a: string, b: string): boolean {
  try {
    return getAddress(a) === getAddress(b);
  } catch {
    return false;
  }
}
