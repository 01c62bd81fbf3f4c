import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import { notFound } from "../../../core/errors.js";
import { findRedemption, type Redemption as RedemptionRow } from "../../../db/redemptions.js";
import { acceptRedemption } from "../../../flows/accept-redemption.js";
import { redemptionDeps } from "../../flow-deps.js";
import { memberOf } from "../../plugins/auth.js";
import { errors, IdParams, OptionalIdempotencyHeaders } from "../../schemas/common.js";
import { Redemption, RedemptionBody } from "../../schemas/redemptions.js";
import { presentRedemption } from "./present.js";

/** A retailer trades tokens it accepted for the sponsors' stablecoin: its permit to the vault is the authority. */
const redemptionRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const deps = redemptionDeps(app);
  const present = (redemption: RedemptionRow) => presentRedemption(redemption, app.stablecoinDecimals);
  app.post(
    "/redemptions",
    {
      onRequest: app.requireMember("retailer"),
      schema: {
        summary: "Redeem tokens for stablecoin with the retailer's EIP-2612 permit to the vault",
        description:
          "With an `Idempotency-Key` (optional), a retry after a lost answer replays the first one (the same redemption); " +
          "the same key with another body is 409 `RC_IDEMPOTENCY_KEY_REUSED`.",
        tags: ["redemptions"],
        security: [{ apiKey: [] }],
        headers: OptionalIdempotencyHeaders,
        body: RedemptionBody,
        response: { 202: Redemption, ...errors(400, 401, 403, 404, 409, 413, 415) },
      },
    },
    async (request, reply) => {
      const idempotencyKey = request.headers["idempotency-key"];
      const redemption = await acceptRedemption(deps, memberOf(request), request.body, { idempotencyKey, present });
      return reply.status(202).send(redemption);
    },
  );

  app.get(
    "/redemptions/:id",
    {
      onRequest: app.requireMember("retailer", "admin"),
      schema: {
        summary: "Where a redemption stands: pending → submitted → included → confirmed (with the deposits drawn) or failed",
        tags: ["redemptions"],
        security: [{ apiKey: [] }],
        params: IdParams,
        response: { 200: Redemption, ...errors(401, 403, 404) },
      },
    },
    async (request) => {
      const member = memberOf(request);
      const redemption = await findRedemption(app.sql, BigInt(request.params.id));
      // Another retailer's redemption does not exist as far as this one can tell.
      if (!redemption || (member.kind === "retailer" && redemption.retailerId !== member.id)) {
        throw notFound("RC_REDEMPTION_NOT_FOUND", `no redemption ${request.params.id}`);
      }
      return present(redemption);
    },
  );
};

export default redemptionRoutes;
