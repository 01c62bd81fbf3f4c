import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import { cursorBound, pageOf } from "../../../core/cursor.js";
import { forbidden } from "../../../core/errors.js";
import { MEMBER_KINDS } from "../../../db/members.js";
import { listDeliveries } from "../../../db/operator-lists.js";
import { memberOf } from "../../plugins/auth.js";
import { errors } from "../../schemas/common.js";
import { DeliveryListPage, DeliveryListQuery } from "../../schemas/lists.js";

/** Delivery attempts across subscriptions: every member's for an admin (the console's webhook failures), one's own otherwise. */
const deliveryListRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    "/webhooks/deliveries",
    {
      onRequest: app.requireMember(...MEMBER_KINDS),
      schema: {
        summary: "Webhook delivery attempts newest first, by subscription and outcome: all for an admin, my own otherwise",
        tags: ["webhooks"],
        security: [{ apiKey: [] }],
        querystring: DeliveryListQuery,
        response: { 200: DeliveryListPage, ...errors(400, 401, 403) },
      },
    },
    async (request) => {
      const member = memberOf(request);
      const q = request.query;
      if (member.kind !== "admin" && q.memberId !== undefined && BigInt(q.memberId) !== member.id) {
        throw forbidden("RC_NOT_YOUR_WEBHOOKS", "a member lists its own deliveries only");
      }
      const memberId = member.kind === "admin" ? (q.memberId === undefined ? undefined : BigInt(q.memberId)) : member.id;
      const size = Number(q.limit ?? 50);
      const rows = await listDeliveries(app.sql, {
        below: cursorBound(q.cursor),
        limit: size + 1,
        ...(memberId === undefined ? {} : { memberId }),
        ...(q.subscriptionId === undefined ? {} : { subscriptionId: BigInt(q.subscriptionId) }),
        ...(q.failed === undefined ? {} : { failed: q.failed === "true" }),
      });
      const found = pageOf(rows, size);
      return {
        items: found.items.map((d) => ({
          id: Number(d.id),
          subscriptionId: Number(d.subscriptionId),
          memberId: Number(d.memberId),
          eventId: Number(d.eventId),
          eventType: d.eventType,
          attempt: d.attempt,
          statusCode: d.statusCode,
          error: d.error,
          durationMs: d.durationMs,
          startedAt: d.startedAt.toISOString(),
          finishedAt: d.finishedAt.toISOString(),
        })),
        next: found.next,
      };
    },
  );
};

export default deliveryListRoutes;
