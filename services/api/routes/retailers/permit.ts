import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import { getAddress } from "ethers";
import { badRequest, notFound } from "../../../core/errors.js";
import { findProgram } from "../../../db/programs.js";
import { memberOf } from "../../plugins/auth.js";
import { errors } from "../../schemas/common.js";
import { PermitParams, PermitQuery } from "../../schemas/network.js";

/**
 * What a retailer's page signs to redeem: the token's EIP-712 domain, the vault as spender and the token's
 * current permit nonce for the retailer (read from the chain now: permits are ordered, one usable at a time).
 */
const permitRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    "/retailers/me/permit",
    {
      onRequest: app.requireMember("retailer"),
      schema: {
        summary: "The EIP-2612 permit a redemption of this program needs, but for the amount and the deadline",
        tags: ["retailers"],
        security: [{ apiKey: [] }],
        querystring: PermitQuery,
        response: { 200: PermitParams, ...errors(400, 401, 403, 404) },
      },
    },
    async (request) => {
      const member = memberOf(request);
      if (!member.address) throw badRequest("RC_RETAILER_WITHOUT_ADDRESS", "this retailer has no chain address to sign with");
      const program = await findProgram(app.sql, BigInt(request.query.programId));
      if (!program) throw notFound("RC_PROGRAM_NOT_FOUND", `no program ${request.query.programId}`);
      const owner = getAddress(member.address);
      const nonce = await app.chain.token(program.token).nonces(owner);
      return {
        // rewardTokenDomain's fields, as JSON: a RewardToken clone signs under its program's name, version "1".
        domain: { name: program.name, version: "1", chainId: app.chain.chainId, verifyingContract: program.token },
        owner,
        spender: app.chain.deployment.contracts.vault,
        nonce: nonce.toString(),
      };
    },
  );
};

export default permitRoutes;
