import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import { conflict, notFound } from "../../../core/errors.js";
import { findEvent, reviewHeldEvent } from "../../../db/events.js";
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
      async (request) => {
        const reviewer = memberOf(request);
        const id = BigInt(request.params.id);
        const reviewed = await reviewHeldEvent(app.sql, {
          id,
          approve: decision === "approve",
          note: request.body.reason,
          reviewerId: reviewer.id,
        });
        if (!reviewed) {
          const event = await findEvent(app.sql, id);
          if (!event) throw notFound("RC_EVENT_NOT_FOUND", `no event ${id}`);
          throw conflict("RC_EVENT_NOT_HELD", `event ${id} is ${event.status}, not held`);
        }
        if (reviewed.status === "pending") app.notifyMinter();
        return presentEvent(reviewed);
      },
    );
  }
};

export default eventReviewRoutes;
