import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import { formatDecimal } from "../../../core/amounts.js";
import { operatorWriteDeps } from "../../flow-deps.js";
import { memberOf } from "../../plugins/auth.js";
import { errors } from "../../schemas/common.js";
import { DepositBody, DepositReceipt } from "../../schemas/sponsors.js";
import { relayDeposit } from "../../../flows/relay-deposit.js";
import withdrawalRoutes from "./withdrawals.js";

/** A sponsor funds a program without paying gas: its two signatures are the authority, we relay them. */
const depositRoutes: FastifyPluginAsyncTypebox = async (app) => {
  await app.register(withdrawalRoutes);
  app.post(
    "/deposits",
    {
      onRequest: app.requireMember("sponsor"),
      schema: {
        summary: "Deposit stablecoin for a program with the sponsor's EIP-2612 permit and the vault's Deposit signature",
        tags: ["sponsors"],
        security: [{ apiKey: [] }],
        body: DepositBody,
        response: { 201: DepositReceipt, ...errors(400, 401, 403, 404, 413, 415) },
      },
    },
    async (request, reply) => {
      const deposit = await relayDeposit(operatorWriteDeps(app), memberOf(request), request.body);
      return reply.status(201).send({ ...deposit, amount: formatDecimal(deposit.amount, app.stablecoinDecimals) });
    },
  );
};

export default depositRoutes;
