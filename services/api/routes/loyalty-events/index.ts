import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import { notFound } from "../../../core/errors.js";
import { findEvent } from "../../../db/events.js";
import { acceptLoyaltyEvent } from "../../../flows/accept-loyalty-event.js";
import { eventDeps } from "../../flow-deps.js";
import { memberOf } from "../../plugins/auth.js";
import { errors, IdempotencyHeaders, IdParams } from "../../schemas/common.js";
import { CreditEvent, LoyaltyEventBody } from "../../schemas/events.js";
import { presentEvent } from "../../presenters/events.js";

const loyaltyRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const deps = eventDeps(app);
  app.post(
    "/loyalty-events",
    {
      onRequest: app.requireMember("brand"),
      schema: {
        summary: "Record a loyalty event (purchase, review, cartridge return, ...): the program's rules give the credit",
        tags: ["loyalty"],
        security: [{ apiKey: [] }],
        headers: IdempotencyHeaders,
        body: LoyaltyEventBody,
        response: { 202: CreditEvent, ...errors(400, 401, 403, 404, 409, 413, 415) },
      },
    },
    async (request, reply) => {
      const idempotencyKey = request.headers["idempotency-key"];
      const result = await acceptLoyaltyEvent(deps, memberOf(request), request.body, { idempotencyKey, present: presentEvent });
      return reply.status(202).send(result.body);
    },
  );

  app.get(
    "/loyalty-events/:id",
    {
      onRequest: app.requireMember("brand", "admin"),
      schema: {
        summary: "A loyalty event and where its minting stands",
        tags: ["loyalty"],
        security: [{ apiKey: [] }],
        params: IdParams,
        response: { 200: CreditEvent, ...errors(401, 403, 404) },
      },
    },
    async (request) => {
      const member = memberOf(request);
      const event = await findEvent(app.sql, BigInt(request.params.id), "loyalty");
      if (!event || (member.kind !== "admin" && event.issuerId !== member.id)) {
        throw notFound("RC_EVENT_NOT_FOUND", `no loyalty event ${request.params.id}`);
      }
      return presentEvent(event);
    },
  );
};

export default loyaltyRoutes;
