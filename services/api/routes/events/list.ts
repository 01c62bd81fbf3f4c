import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import { cursorBound, pageOf } from "../../../core/cursor.js";
import { forbidden } from "../../../core/errors.js";
import { parseQueryTime } from "../../../core/time-range.js";
import { listEvents } from "../../../db/operator-lists.js";
import { memberOf } from "../../plugins/auth.js";
import { presentEvent } from "../../presenters/events.js";
import { errors } from "../../schemas/common.js";
import { EventListPage, EventListQuery } from "../../schemas/lists.js";

/** Every credit event for an admin (the review queue is `?status=held`); a point's or brand's own for them. */
const eventListRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    "/events",
    {
      onRequest: app.requireMember("admin", "collection_point", "brand"),
      schema: {
        summary: "Credit events newest first, by status, kind, program and time: all for an admin, an issuer's own for it",
        tags: ["review"],
        security: [{ apiKey: [] }],
        querystring: EventListQuery,
        response: { 200: EventListPage, ...errors(400, 401, 403) },
      },
    },
    async (request) => {
      const member = memberOf(request);
      const q = request.query;
      if (member.kind !== "admin" && q.issuerId !== undefined && BigInt(q.issuerId) !== member.id) {
        throw forbidden("RC_NOT_YOUR_EVENTS", "an issuer lists its own events only");
      }
      const issuerId = member.kind === "admin" ? (q.issuerId === undefined ? undefined : BigInt(q.issuerId)) : member.id;
      const since = parseQueryTime("since", q.since);
      const until = parseQueryTime("until", q.until);
      const size = Number(q.limit ?? 50);
      const rows = await listEvents(app.sql, {
        below: cursorBound(q.cursor),
        limit: size + 1,
        ...(issuerId === undefined ? {} : { issuerId }),
        ...(q.programId === undefined ? {} : { programId: BigInt(q.programId) }),
        ...(q.status === undefined ? {} : { status: q.status }),
        ...(q.kind === undefined ? {} : { kind: q.kind }),
        ...(since === undefined ? {} : { since }),
        ...(until === undefined ? {} : { until }),
      });
      const found = pageOf(rows, size);
      return { items: found.items.map(presentEvent), next: found.next };
    },
  );
};

export default eventListRoutes;
