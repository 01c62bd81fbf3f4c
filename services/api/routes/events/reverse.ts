import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import { formatTokenAmount } from "../../../core/amounts.js";
import type { Reversal } from "../../../db/reversals.js";
import { reverseCredit } from "../../../flows/reverse-credit.js";
import { operatorWriteDeps } from "../../flow-deps.js";
import { memberOf } from "../../plugins/auth.js";
import { errors, IdParams } from "../../schemas/common.js";
import { Reversal as ReversalSchema, ReverseBody } from "../../schemas/reversals.js";

export function presentReversal(r: Reversal) {
  return {
    id: Number(r.id),
    eventId: Number(r.eventId),
    programId: Number(r.programId),
    holder: r.holder,
    reason: r.reason,
    requestedBy: Number(r.requestedBy),
    amount: formatTokenAmount(r.amount),
    burned: r.burned === null ? null : formatTokenAmount(r.burned),
    shortfall: r.shortfall === null ? null : formatTokenAmount(r.shortfall),
    status: r.status,
    txHash: r.txHash,
    blockNumber: r.blockNumber === null ? null : Number(r.blockNumber),
    createdAt: r.createdAt.toISOString(),
  };
}

const reverseRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.post(
    "/events/:id/reverse",
    {
      onRequest: app.requireMember("admin"),
      schema: {
        summary: "Reverse a confirmed credit (a mistaken weighing): burn it back from the holder, or what is left of it",
        description:
          "Records RewardToken.reverseCredit as an operator write and answers once the operator has it mined, with what was burned " +
          "and the shortfall the holder had already spent. The original credit stays in the history beside the reversal.",
        tags: ["review"],
        security: [{ apiKey: [] }],
        params: IdParams,
        body: ReverseBody,
        response: { 200: ReversalSchema, ...errors(400, 401, 403, 404, 409) },
      },
    },
    async (request) =>
      presentReversal(
        await reverseCredit(operatorWriteDeps(app), {
          eventId: BigInt(request.params.id),
          reason: request.body.reason,
          requestedBy: memberOf(request).id,
        }),
      ),
  );
};

export default reverseRoutes;
