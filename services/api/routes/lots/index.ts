import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import { conflict, notFound, RecircleError } from "../../../core/errors.js";
import type { Material } from "../../../core/materials.js";
import { buildEventTree, eventLeaf, proofFor } from "../../../core/merkle.js";
import { cursorBound, pageOf } from "../../../core/cursor.js";
import { type Lot, findLot, listLots } from "../../../db/lots.js";
import type { Member } from "../../../db/members.js";
import { cancelLot } from "../../../flows/cancel-lot.js";
import { confirmLot } from "../../../flows/confirm-lot.js";
import { findLotCandidates, formLot } from "../../../flows/form-lot.js";
import { parseQueryTime } from "../../../core/time-range.js";
import { operatorWriteDeps } from "../../flow-deps.js";
import { memberOf } from "../../plugins/auth.js";
import { errors, IdParams } from "../../schemas/common.js";
import {
  CreateLotBody,
  LotCandidates,
  LotCandidatesQuery,
  Lot as LotSchema,
  LotListQuery,
  LotPage,
  LotProof,
  LotProofParams,
} from "../../schemas/lots.js";

const lotRoutes: FastifyPluginAsyncTypebox = async (app) => {
  // Books written before lots existed have no certificate: lots can be grouped, not confirmed.
  const certificate = app.chain.deployment.contracts.lotCertificate ?? null;

  const present = (lot: Lot, bonusEventIds?: bigint[]) => ({
    id: Number(lot.id),
    programId: Number(lot.programId),
    processorId: Number(lot.processorId),
    // Written only through CreateLotBody's material enum.
    material: lot.material as Material,
    grams: Number(lot.grams),
    kg: (Number(lot.grams) / 1000).toString(),
    status: lot.status,
    collectionIds: lot.collectionIds.map(Number),
    merkleRoot: lot.merkleRoot,
    txHash: lot.txHash,
    blockNumber: lot.blockNumber === null ? null : Number(lot.blockNumber),
    certificate,
    ...(bonusEventIds ? { bonusEventIds: bonusEventIds.map(Number) } : {}),
  });

  /** A lot the member may see: its processor's, or any for an admin; another's is answered as missing. */
  async function visibleLot(member: Member, id: string) {
    const lot = await findLot(app.sql, BigInt(id));
    if (!lot || (member.kind !== "admin" && lot.processorId !== member.id)) throw notFound("RC_LOT_NOT_FOUND", `no lot ${id}`);
    return lot;
  }

  app.post(
    "/lots",
    {
      onRequest: app.requireMember("processor"),
      schema: {
        summary: "Group confirmed drop-offs of one program and material into a lot",
        tags: ["lots"],
        security: [{ apiKey: [] }],
        body: CreateLotBody,
        response: { 201: LotSchema, ...errors(400, 401, 403, 404, 409) },
      },
    },
    async (request, reply) => {
      const lot = await formLot({ sql: app.sql, lookups: app.lookups }, memberOf(request), request.body);
      return reply.status(201).send(present(lot));
    },
  );

  app.post(
    "/lots/:id/confirm",
    {
      onRequest: app.requireMember("processor"),
      schema: {
        summary: "Confirm a lot: release its held bonuses and certify it on chain with the Merkle root of its drop-offs",
        description:
          "Queues one bonus credit per drop-off that held one (minted by the batcher), then sends LotCertificate.certify " +
          "as an operator write and answers once it is mined. Asked again while a certify is unfinished, it follows it.",
        tags: ["lots"],
        security: [{ apiKey: [] }],
        params: IdParams,
        response: { 200: LotSchema, ...errors(401, 403, 404, 409, 503) },
      },
    },
    async (request) => {
      const member = memberOf(request);
      if (!certificate) throw new RecircleError("RC_NO_LOT_CERTIFICATE", 503, "this deployment has no LotCertificate");
      const confirmed = await confirmLot(operatorWriteDeps(app), member, await visibleLot(member, request.params.id));
      return present(confirmed.lot, confirmed.bonusEventIds);
    },
  );

  app.post(
    "/lots/:id/cancel",
    {
      onRequest: app.requireMember("processor", "admin"),
      schema: {
        summary: "Cancel an open lot (its processor or an admin): its drop-offs are free to join another lot",
        tags: ["lots"],
        security: [{ apiKey: [] }],
        params: IdParams,
        response: { 200: LotSchema, ...errors(401, 403, 404, 409) },
      },
    },
    async (request) => {
      const member = memberOf(request);
      return present(await cancelLot(app.sql, member, await visibleLot(member, request.params.id)));
    },
  );

  app.get(
    "/lots",
    {
      onRequest: app.requireMember("processor", "admin"),
      schema: {
        summary: "Lots newest first: a processor's own, every lot for an admin; by program and status",
        tags: ["lots"],
        security: [{ apiKey: [] }],
        querystring: LotListQuery,
        response: { 200: LotPage, ...errors(400, 401, 403) },
      },
    },
    async (request) => {
      const member = memberOf(request);
      const { cursor, limit, programId, status } = request.query;
      const size = Number(limit ?? 50);
      const rows = await listLots(app.sql, {
        below: cursorBound(cursor),
        limit: size + 1,
        ...(member.kind === "admin" ? {} : { processorId: member.id }),
        ...(programId === undefined ? {} : { programId: BigInt(programId) }),
        ...(status === undefined ? {} : { status }),
      });
      const found = pageOf(rows, size);
      return { items: found.items.map((lot) => present(lot)), next: found.next };
    },
  );

  app.get(
    "/lots/candidates",
    {
      onRequest: app.requireMember("processor"),
      schema: {
        summary: "The drop-offs a lot may take: confirmed, of one program (where the processor holds its role) and material, in no lot",
        description: "Filtered by the point that recorded them and by time (`since` inclusive, `until` exclusive), newest first, at most 500.",
        tags: ["lots"],
        security: [{ apiKey: [] }],
        querystring: LotCandidatesQuery,
        response: { 200: LotCandidates, ...errors(400, 401, 403, 404) },
      },
    },
    async (request) => {
      const q = request.query;
      const since = parseQueryTime("since", q.since);
      const until = parseQueryTime("until", q.until);
      const found = await findLotCandidates({ sql: app.sql, lookups: app.lookups }, memberOf(request), {
        programId: Number(q.programId),
        material: q.material,
        ...(q.pointId === undefined ? {} : { pointId: Number(q.pointId) }),
        ...(since === undefined ? {} : { since }),
        ...(until === undefined ? {} : { until }),
      });
      return {
        items: found.map((c) => ({ id: Number(c.id), pointId: Number(c.pointId), grams: c.grams, createdAt: c.createdAt.toISOString() })),
      };
    },
  );

  app.get(
    "/lots/:id",
    {
      onRequest: app.requireMember("processor", "admin"),
      schema: {
        summary: "A lot, its drop-offs and its certificate",
        tags: ["lots"],
        security: [{ apiKey: [] }],
        params: IdParams,
        response: { 200: LotSchema, ...errors(401, 403, 404) },
      },
    },
    async (request) => present(await visibleLot(memberOf(request), request.params.id)),
  );

  app.get(
    "/lots/:id/proof/:collectionId",
    {
      // Public on purpose: a buyer of the lot checks the proof against the chain, trusting nobody.
      schema: {
        summary: "The Merkle proof that a drop-off is inside a certified lot, for LotCertificate.contains",
        tags: ["lots"],
        params: LotProofParams,
        response: { 200: LotProof, ...errors(404, 409) },
      },
    },
    async (request) => {
      const lot = await findLot(app.sql, BigInt(request.params.id));
      if (!lot || !certificate) throw notFound("RC_LOT_NOT_FOUND", `no lot ${request.params.id}`);
      if (lot.status !== "confirmed") throw conflict("RC_LOT_NOT_CERTIFIED", `lot ${lot.id} is not certified yet`);
      const eventId = BigInt(request.params.collectionId);
      if (!lot.collectionIds.includes(eventId)) throw notFound("RC_NOT_IN_LOT", `collection ${eventId} is not in lot ${lot.id}`);
      const tree = buildEventTree(lot.collectionIds);
      const proof = proofFor(tree, eventId);
      return { lotId: Number(lot.id), eventId: Number(eventId), leaf: eventLeaf(eventId), proof, root: tree.root, certificate };
    },
  );
};

export default lotRoutes;
