import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import type { Config } from "../../../config.js";
import { reviewHeldEvent } from "../../../flows/review-held-event.js";
import { eventDeps } from "../../flow-deps.js";
import { memberOf } from "../../plugins/auth.js";
import { errors, IdParams } from "../../schemas/common.js";
import { CreditEvent, ReviewBody } from "../../schemas/events.js";
import { presentEvent } from "../../presenters/events.js";
import bulkReviewRoutes from "./bulk-review.js";
import reverseRoutes from "./reverse.js";
import reversalListRoutes from "./reversals.js";
import eventListRoutes from "./list.js";
import triageRoutes from "./triage.js";

const eventReviewRoutes: FastifyPluginAsyncTypebox<{ config: Config }> = async (app, { config }) => {
  // Reversal is the review of a credit after it was minted; it lives with the other admin decisions, and so
  // does the triage of events that are not minted (failed, stuck), whose reject also refuses a held event, and
  // the bulk decision on the held queue, which goes through the single decisions id by id.
  await app.register(reverseRoutes);
  await app.register(reversalListRoutes);
  await app.register(bulkReviewRoutes, { config });
  await app.register(triageRoutes, { config });
  await app.register(eventListRoutes);
  app.post(
    "/events/:id/approve",
    {
      onRequest: app.requireMember("admin"),
      schema: {
        summary: "Release a held event to be minted",
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
          approve: true,
          reason: request.body.reason,
        }),
      ),
  );
};

export default eventReviewRoutes;
