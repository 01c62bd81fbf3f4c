import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import { getAddress, ZeroAddress } from "ethers";
import { parseTokenAmount } from "../../../core/amounts.js";
import { loyaltyCredit } from "../../../core/earning.js";
import { badRequest, notFound } from "../../../core/errors.js";
import { findEvent } from "../../../db/events.js";
import { memberOf } from "../../plugins/auth.js";
import { errors, IdempotencyHeaders, IdParams } from "../../schemas/common.js";
import { CreditEvent, LoyaltyEventBody } from "../../schemas/events.js";
import { acceptEvent, issuingProgram } from "../events/accept.js";
import { presentEvent } from "../../presenters/events.js";

const loyaltyRoutes: FastifyPluginAsyncTypebox = async (app) => {
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
      const member = memberOf(request);
      const body = request.body;
      const program = await issuingProgram(app, member, body.programId, "loyalty");
      const customer = getAddress(body.customer.toLowerCase());
      // The token skips a credit to the zero address, which would leave the event submitted for ever.
      if (customer === ZeroAddress) throw badRequest("RC_INVALID_ADDRESS", "the zero address cannot hold tokens");
      const value = body.value === undefined ? undefined : parseTokenAmount(body.value, "value");
      const { credit, campaign } = loyaltyCredit(program.rules, body.type, value, new Date());
      const idempotencyKey = request.headers["idempotency-key"];
      const result = await acceptEvent(app, { route: "POST /v1/loyalty-events", idempotencyKey, body }, member, program, {
        kind: "loyalty",
        programId: program.id,
        issuerId: member.id,
        beneficiary: customer,
        collectorId: null,
        material: null,
        grams: null,
        loyaltyType: body.type,
        loyaltyValue: value ?? null,
        campaign: campaign ?? null,
        evidenceHash: body.evidenceHash?.toLowerCase() ?? null,
        credit,
      });
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
