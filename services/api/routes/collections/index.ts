import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import { badRequest, notFound } from "../../../core/errors.js";
import { findEvent, listIssuedCollections } from "../../../db/events.js";
import { acceptDropOff } from "../../../flows/accept-drop-off.js";
import { eventDeps } from "../../flow-deps.js";
import { memberOf } from "../../plugins/auth.js";
import { errors, IdempotencyHeaders, IdParams } from "../../schemas/common.js";
import { CollectionBody, CollectionListQuery, CreditEvent } from "../../schemas/events.js";
import { Type } from "typebox";
import { presentEvent } from "../../presenters/events.js";
import { creditEvent } from "../../schemas/examples.js";
import { collectionDayRoutes } from "./day.js";

const collectionRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const deps = eventDeps(app);
  await app.register(collectionDayRoutes);
  app.post(
    "/collections",
    {
      onRequest: app.requireMember("collection_point"),
      schema: {
        summary: "Record a drop-off: tokens = grams × rate(material) / 1000, minted in the next batch",
        description: "By `collector` (a wallet) or `phone` (a phone collector: escrowed, minted once claimed to a wallet).",
        tags: ["collections"],
        security: [{ apiKey: [] }],
        headers: IdempotencyHeaders,
        body: CollectionBody,
        response: { 202: CreditEvent, ...errors(400, 401, 403, 404, 409, 413, 415, 503) },
      },
    },
    async (request, reply) => {
      const idempotencyKey = request.headers["idempotency-key"];
      const result = await acceptDropOff(deps, memberOf(request), request.body, { idempotencyKey, present: presentEvent });
      return reply.status(202).send(result.body);
    },
  );

  app.get(
    "/collections",
    {
      onRequest: app.requireMember("collection_point"),
      schema: {
        summary: "The calling point's drop-offs for a program since a time (its day's screen), newest first",
        tags: ["collections"],
        security: [{ apiKey: [] }],
        querystring: CollectionListQuery,
        response: { 200: Type.Array(CreditEvent, { examples: [[creditEvent]] }), ...errors(400, 401, 403) },
      },
    },
    async (request) => {
      const member = memberOf(request);
      const since = new Date(request.query.since);
      if (Number.isNaN(since.getTime())) throw badRequest("RC_INVALID_TIME", "since must be an ISO 8601 date-time");
      const events = await listIssuedCollections(app.sql, {
        programId: BigInt(request.query.programId),
        issuerId: member.id,
        since,
        limit: Number(request.query.limit ?? 200),
      });
      return events.map(presentEvent);
    },
  );

  app.get(
    "/collections/:id",
    {
      onRequest: app.requireMember("collection_point", "admin"),
      schema: {
        summary: "A drop-off and where its minting stands",
        tags: ["collections"],
        security: [{ apiKey: [] }],
        params: IdParams,
        response: { 200: CreditEvent, ...errors(401, 403, 404) },
      },
    },
    async (request) => {
      const member = memberOf(request);
      const event = await findEvent(app.sql, BigInt(request.params.id), "collection");
      // Another point's drop-off is answered like a missing one: ids are sequential and guessable.
      if (!event || (member.kind !== "admin" && event.issuerId !== member.id)) {
        throw notFound("RC_EVENT_NOT_FOUND", `no collection ${request.params.id}`);
      }
      return presentEvent(event);
    },
  );
};

export default collectionRoutes;
