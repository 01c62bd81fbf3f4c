import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import type { Config } from "../../../config.js";
import { listEventsInTrouble, rejectEvent, retryFailedEvent } from "../../../flows/event-triage.js";
import { triageDeps } from "../../flow-deps.js";
import { memberOf } from "../../plugins/auth.js";
import { errors, IdParams } from "../../schemas/common.js";
import { CreditEvent, EventPage, FailedEventsQuery, ReviewBody, StuckEventsQuery } from "../../schemas/events.js";
import { presentEvent } from "../../presenters/events.js";

const DEFAULT_PAGE = 100;

/**
 * The admin's tools for events that do not get minted: list the failed (the token refused them) and the stuck
 * (pending or submitted too long), retry a failed one, reject one for good with a reason.
 */
const eventTriageRoutes: FastifyPluginAsyncTypebox<{ config: Config }> = async (app, { config }) => {
  const deps = () => triageDeps(app, config);
  const page = async (query: { programId?: string; after?: string; limit?: string; olderThanMinutes?: string }, state: "failed" | "stuck") => {
    const found = await listEventsInTrouble(deps(), {
      state,
      limit: query.limit === undefined ? DEFAULT_PAGE : Number(query.limit),
      ...(query.programId === undefined ? {} : { programId: BigInt(query.programId) }),
      ...(query.after === undefined ? {} : { after: BigInt(query.after) }),
      ...(query.olderThanMinutes === undefined ? {} : { olderThanMinutes: Number(query.olderThanMinutes) }),
    });
    return { events: found.events.map(presentEvent), next: found.next === null ? null : Number(found.next) };
  };

  app.get(
    "/events/failed",
    {
      onRequest: app.requireMember("admin"),
      schema: {
        summary: "Events the token refused (failureCode, failureReason), oldest first, by program",
        tags: ["review"],
        security: [{ apiKey: [] }],
        querystring: FailedEventsQuery,
        response: { 200: EventPage, ...errors(400, 401, 403) },
      },
    },
    async (request) => page(request.query, "failed"),
  );

  app.get(
    "/events/stuck",
    {
      onRequest: app.requireMember("admin"),
      schema: {
        summary: "Events pending or submitted for longer than olderThanMinutes (default STUCK_EVENT_MINUTES), oldest first",
        tags: ["review"],
        security: [{ apiKey: [] }],
        querystring: StuckEventsQuery,
        response: { 200: EventPage, ...errors(400, 401, 403) },
      },
    },
    async (request) => page(request.query, "stuck"),
  );

  app.post(
    "/events/:id/retry",
    {
      onRequest: app.requireMember("admin"),
      schema: {
        summary: "Put a failed event back in the mint outbox; the batcher checks it with the chain again",
        tags: ["review"],
        security: [{ apiKey: [] }],
        params: IdParams,
        body: ReviewBody,
        response: { 200: CreditEvent, ...errors(400, 401, 403, 404, 409) },
      },
    },
    async (request) => presentEvent(await retryFailedEvent(deps(), memberOf(request), { eventId: BigInt(request.params.id), reason: request.body.reason })),
  );

  app.post(
    "/events/:id/reject",
    {
      onRequest: app.requireMember("admin"),
      schema: {
        summary: "Refuse an event for good, with a reason: held, failed, or pending longer than STUCK_EVENT_MINUTES (credit.rejected webhook)",
        tags: ["review"],
        security: [{ apiKey: [] }],
        params: IdParams,
        body: ReviewBody,
        response: { 200: CreditEvent, ...errors(400, 401, 403, 404, 409) },
      },
    },
    async (request) =>
      presentEvent(await rejectEvent(deps(), memberOf(request), { eventId: BigInt(request.params.id), reason: request.body.reason })),
  );
};

export default eventTriageRoutes;
