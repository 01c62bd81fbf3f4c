import { ZeroHash } from "ethers";
import { conflict, forbidden, notFound, RecircleError } from "../core/errors.js";
import { buildEventTree } from "../core/merkle.js";
import type { Chain } from "../chain/network.js";
import { type JsonObject, recordChainWrite } from "../db/chain-writes.js";
import { findLot, finishConfirming, type Lot, moveLotCertificate, reopenConfirming, startConfirming } from "../db/lots.js";
import type { Member } from "../db/members.js";
import { findProgram, programRoleOf } from "../db/programs.js";
import { recordWebhookEvent } from "../db/webhook-outbox.js";
import type { ChainWriteKind } from "../engines/chain-write-kind.js";
import { LotCertificate__factory } from "../../types/ethers-contracts/index.js";
import { settledWrite, type OperatorWriteDeps } from "./operator-write.js";
import { newestLogSince } from "../chain/logs-in-ranges.js";

interface CertifyPayload extends JsonObject {
  lotId: string;
  processorId: string;
  token: string;
  root: string;
  material: string;
  grams: string;
  to: string;
}

/**
 * Confirms a lot: its held bonuses become pending credits and its certificate (the Merkle root of its
 * drop-offs) is recorded as an operator write, in one transaction, so a crash at any later point leaves a lot
 * the sender finishes, never one whose bonuses were lost. Asked again while confirming, it follows the same
 * write (or records a new one if the chain refused the last).
 */
export async function confirmLot(deps: OperatorWriteDeps & { chain: Chain }, member: Member, lot: Lot) {
  const certificate = deps.chain.deployment.contracts.lotCertificate;
  if (!certificate) throw new RecircleError("RC_NO_LOT_CERTIFICATE", 503, "this deployment has no LotCertificate");
  if (lot.status === "confirmed") throw conflict("RC_LOT_CONFIRMED", `lot ${lot.id} is already confirmed`);
  if (lot.status === "cancelled") throw conflict("RC_LOT_CANCELLED", `lot ${lot.id} was cancelled`);
  if ((await programRoleOf(deps.sql, lot.programId, member.id)) !== "processor") {
    throw forbidden("RC_NOT_PROGRAM_PROCESSOR", `this processor holds no processor role in program ${lot.programId}`);
  }
  const root = buildEventTree(lot.collectionIds).root;
  const program = (await findProgram(deps.sql, lot.programId))!;
  const payload: CertifyPayload = {
    lotId: String(lot.id),
    processorId: String(lot.processorId),
    token: program.token,
    root,
    material: lot.material,
    grams: String(lot.grams),
    to: member.address ?? deps.chain.deployment.operator,
  };
  const recorded = await deps.sql.begin(async (tx) => {
    let bonusEventIds: bigint[] | undefined;
    if (lot.status === "open") {
      const started = await startConfirming(tx, lot.id, member.id, root);
      if (!started) throw conflict("RC_LOT_CONFIRMING", `lot ${lot.id} is being confirmed by another request`);
      bonusEventIds = started.bonusEventIds;
    }
    return { bonusEventIds, write: await recordChainWrite(tx, { kind: CERTIFY_LOT.kind, subject: String(lot.id), payload }) };
  });
  await settledWrite(deps, recorded.write, `the certificate of lot ${lot.id}`);
  const confirmed = await findLot(deps.sql, lot.id);
  if (!confirmed) throw notFound("RC_LOT_NOT_FOUND", `no lot ${lot.id}`);
  return { lot: confirmed, bonusEventIds: recorded.bonusEventIds };
}

const certificateOf = (chain: Chain) => LotCertificate__factory.connect(chain.deployment.contracts.lotCertificate!, chain.provider);

export const CERTIFY_LOT: ChainWriteKind = {
  kind: "lot.certify",
  errors: [LotCertificate__factory.createInterface()],
  revertedCode: "RC_LOT_CERTIFY_REVERTED",
  request(chain, payload) {
    const p = payload as CertifyPayload;
    return certificateOf(chain).certify.populateTransaction(BigInt(p.lotId), p.token, p.root, p.material, BigInt(p.grams), p.to);
  },
  async doneOnChain(chain, payload) {
    const contract = certificateOf(chain);
    const lotId = BigInt((payload as CertifyPayload).lotId);
    if ((await contract.merkleRootOf(lotId)) === ZeroHash) return undefined;
    const filter = contract.filters.LotCertified(lotId);
    const log = await newestLogSince(chain, chain.deployment.startBlock, (from, to) => contract.queryFilter(filter, from, to));
    if (!log) throw new Error(`lot ${lotId} has a root on chain but no LotCertified log`);
    return { hash: log.transactionHash, blockNumber: log.blockNumber, blockHash: log.blockHash, logs: [log] };
  },
  async settle(tx, _chain, payload, mined) {
    await finishConfirming(tx, BigInt((payload as CertifyPayload).lotId), { txHash: mined.hash, blockNumber: mined.blockNumber });
    return { lotId: (payload as CertifyPayload).lotId };
  },
  async moved(tx, payload, block) {
    await moveLotCertificate(tx, BigInt((payload as CertifyPayload).lotId), block.number);
  },
  async reopen(tx, payload) {
    await reopenConfirming(tx, BigInt((payload as CertifyPayload).lotId));
  },
  /** Told once the certificate cannot be reorganised away, as credits, payments and redemptions are. */
  async confirmed(tx, chain, payload, mined) {
    const p = payload as CertifyPayload;
    const lot = (await findLot(tx, BigInt(p.lotId)))!;
    const on = { txHash: mined.hash, blockNumber: mined.blockNumber };
    await recordWebhookEvent(tx, {
        type: "lot.confirmed",
        payload: {
          lotId: Number(lot.id),
          programId: Number(lot.programId),
          material: lot.material,
          grams: Number(lot.grams),
          collectionIds: lot.collectionIds.map(String),
          merkleRoot: p.root,
          certificate: chain.deployment.contracts.lotCertificate!,
          ...on,
        },
        memberIds: [BigInt(p.processorId)],
      });
  },
};
