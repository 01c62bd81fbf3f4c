import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import { reverseCredit } from "../../../flows/reverse-credit.js";
import { operatorWriteDeps } from "../../flow-deps.js";
import { memberOf } from "../../plugins/auth.js";
import { presentReversal } from "../../presenters/reversals.js";
import { errors, IdParams } from "../../schemas/common.js";
import { Reversal as ReversalSchema, ReverseBody } from "../../schemas/reversals.js";

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
