import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import { formatDecimal, formatTokenAmount } from "../../../core/amounts.js";
import { notFound } from "../../../core/errors.js";
import { findRedemption, type Redemption as RedemptionRow } from "../../../db/redemptions.js";
import { memberOf } from "../../plugins/auth.js";
import { errors, IdParams } from "../../schemas/common.js";
import { Redemption, RedemptionBody } from "../../schemas/redemptions.js";
import { acceptRedemption } from "./accept.js";

/** A redemption as the API shows it: tokens in token units, the vault's figures in stablecoin units. */
export function presentRedemption(r: RedemptionRow, stablecoinDecimals: number) {
  const stable = (value: bigint | null) => (value === null ? null : formatDecimal(value, stablecoinDecimals));
  return {
    id: Number(r.id),
    programId: Number(r.programId),
    retailer: r.retailer,
    tokens: formatTokenAmount(r.tokens),
    deadline: Number(r.deadline),
    status: r.status,
    gross: stable(r.gross),
    fee: stable(r.fee),
    net: r.gross === null || r.fee === null ? null : stable(r.gross - r.fee),
    draws: r.draws.map((d) => ({ depositId: Number(d.depositId), sponsor: d.sponsor, amount: stable(d.amount)! })),
    vaultRedemptionId: r.vaultRedemptionId === null ? null : Number(r.vaultRedemptionId),
    failureReason: r.failureReason,
    txHash: r.txHash,
    blockNumber: r.blockNumber === null ? null : Number(r.blockNumber),
    createdAt: r.createdAt.toISOString(),
  };
}

/** A retailer trades tokens it accepted for the sponsors' stablecoin: its permit to the vault is the authority. */
const redemptionRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.post(
    "/redemptions",
    {
      onRequest: app.requireMember("retailer"),
      schema: {
        summary: "Redeem tokens for stablecoin with the retailer's EIP-2612 permit to the vault",
        tags: ["redemptions"],
        security: [{ apiKey: [] }],
        body: RedemptionBody,
        response: { 202: Redemption, ...errors(400, 401, 403, 404, 409, 413, 415) },
      },
    },
    async (request, reply) => {
      const redemption = await acceptRedemption(app, memberOf(request), request.body);
      return reply.status(202).send(presentRedemption(redemption, app.stablecoinDecimals));
    },
  );

  app.get(
    "/redemptions/:id",
    {
      onRequest: app.requireMember("retailer", "admin"),
      schema: {
        summary: "Where a redemption stands: pending → submitted → confirmed (with the deposits drawn) or failed",
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
      return presentRedemption(redemption, app.stablecoinDecimals);
    },
  );
};

export default redemptionRoutes;
