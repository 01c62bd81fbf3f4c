import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import type { Config } from "../../../config.js";
import { reviewHeldEvents } from "../../../flows/review-held-events.js";
import { triageDeps } from "../../flow-deps.js";
import { memberOf } from "../../plugins/auth.js";
import { errors } from "../../schemas/common.js";
import { BulkReviewAnswer, BulkReviewBody } from "../../schemas/review.js";

/** The review queue decided a page at a time: approve or reject many held events with one reason. */
const bulkReviewRoutes: FastifyPluginAsyncTypebox<{ config: Config }> = async (app, { config }) => {
  app.post(
    "/events/review",
    {
      onRequest: app.requireMember("admin"),
      schema: {
        summary: "Approve or reject up to 200 held events with one reason; answers per id (approved, rejected, not_found, not_held)",
        description:
          "Each id is decided as by POST /v1/events/:id/approve or /reject, in its own transaction with its audit entry: " +
          "an unknown or no-longer-held id is reported in its result and does not stop the others.",
        tags: ["review"],
        security: [{ apiKey: [] }],
        body: BulkReviewBody,
        response: { 200: BulkReviewAnswer, ...errors(400, 401, 403) },
      },
    },
    async (request) => {
      const { action, ids, reason } = request.body;
      const results = await reviewHeldEvents(triageDeps(app, config), memberOf(request), { action, eventIds: ids.map(BigInt), reason });
      return { action, results: results.map(({ eventId, ...rest }) => ({ id: Number(eventId), ...rest })) };
    },
  );
};

export default bulkReviewRoutes;
