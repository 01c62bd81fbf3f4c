import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import { reviewHeldEvent } from "../../../flows/review-held-event.js";
import { eventDeps } from "../../flow-deps.js";
import { memberOf } from "../../plugins/auth.js";
import { errors, IdParams } from "../../schemas/common.js";
import { CreditEvent, ReviewBody } from "../../schemas/events.js";
import { presentEvent } from "../../presenters/events.js";
import reverseRoutes from "./reverse.js";

const eventReviewRoutes: FastifyPluginAsyncTypebox = async (app) => {
  // Reversal is the review of a credit after it was minted; it lives with the other admin decisions.
  await app.register(reverseRoutes);
  for (const decision of ["approve", "reject"] as const) {
    app.post(
      `/events/:id/${decision}`,
      {
        onRequest: app.requireMember("admin"),
        schema: {
          summary: decision === "approve" ? "Release a held event to be minted" : "Refuse a held event for good",
          tags: ["review"],
          security: [{ apiKey: [] }],
          params: IdParams,
          body: ReviewBody,
          response: { 200: CreditEvent, ...errors(400, 401, 403, 404, 409) },
        },
      },
      async (request) =>
        presentEvent(
          await reviewHeldEvent(eventDeps(app), memberOf(request), {
            eventId: BigInt(request.params.id),
            approve: decision === "approve",
            reason: request.body.reason,
          }),
        ),
    );
  }
};

export default eventReviewRoutes;
