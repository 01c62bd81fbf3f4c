import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import { Type } from "typebox";
import { notFound } from "../../../core/errors.js";
import type { Config } from "../../../config.js";
import { MEMBER_KINDS } from "../../../db/members.js";
import {
  deactivateSubscription,
  deliveriesOf,
  findSubscriptionOf,
  subscriptionsOf,
  type WebhookSubscription,
} from "../../../db/webhooks.js";
import { subscribeWebhook } from "../../../flows/subscribe-webhook.js";
import { memberOf } from "../../plugins/auth.js";
import { errors, IdParams } from "../../schemas/common.js";
import { CreatedWebhook, CreateWebhookBody, DeliveriesQuery, WebhookDeliveryList, WebhookList } from "../../schemas/webhooks.js";

const present = (s: WebhookSubscription) => ({
  id: Number(s.id),
  url: s.url,
  events: s.events,
  active: s.active,
  createdAt: s.createdAt.toISOString(),
});

/** Any member may subscribe to events that concern it; each sees and deletes only its own subscriptions. */
const webhookRoutes: FastifyPluginAsyncTypebox<{ config: Config }> = async (app, { config }) => {
  const { allowHttp, allowLoopback, maxPerMember } = config.webhooks;
  const subscribeDeps = { sql: app.sql, policy: { allowHttp, allowLoopback }, maxPerMember };
  const auth = app.requireMember(...MEMBER_KINDS);
  const tags = ["webhooks"];
  const security = [{ apiKey: [] }];

  app.post(
    "/webhooks",
    {
      onRequest: auth,
      schema: {
        summary: "Subscribe a URL to event types; the signing secret is in this answer only",
        description:
          "The URL must be https to a public address: loopback, private, link-local, CGNAT, multicast, unique-local " +
          "and cloud metadata addresses are refused (400 RC_WEBHOOK_URL_BLOCKED), in any spelling and for every address " +
          "a name resolves to. A member holds at most WEBHOOK_MAX_PER_MEMBER (10) subscriptions (409 RC_WEBHOOK_LIMIT).",
        tags,
        security,
        body: CreateWebhookBody,
        response: { 201: CreatedWebhook, ...errors(400, 401, 403, 409) },
      },
    },
    async (request, reply) => {
      const subscription = await subscribeWebhook(subscribeDeps, { memberId: memberOf(request).id, url: request.body.url, events: request.body.events });
      return reply.status(201).send({ ...present(subscription), secret: subscription.secret });
    },
  );

  app.get(
    "/webhooks",
    {
      onRequest: auth,
      schema: { summary: "My active webhook subscriptions", tags, security, response: { 200: WebhookList, ...errors(401, 403) } },
    },
    async (request) => ({ webhooks: (await subscriptionsOf(app.sql, memberOf(request).id)).map(present) }),
  );

  app.delete(
    "/webhooks/:id",
    {
      onRequest: auth,
      schema: {
        summary: "Unsubscribe: deliveries still queued for it are dropped",
        tags,
        security,
        params: IdParams,
        response: { 204: Type.Null({ description: "Deleted" }), ...errors(401, 403, 404) },
      },
    },
    async (request, reply) => {
      const deleted = await deactivateSubscription(app.sql, memberOf(request).id, BigInt(request.params.id));
      if (!deleted) throw notFound("RC_WEBHOOK_NOT_FOUND", `no active webhook ${request.params.id} of yours`);
      return reply.status(204).send(null);
    },
  );

  app.get(
    "/webhooks/:id/deliveries",
    {
      onRequest: auth,
      schema: {
        summary: "The delivery log of one of my subscriptions, newest attempt first",
        tags,
        security,
        params: IdParams,
        querystring: DeliveriesQuery,
        response: { 200: WebhookDeliveryList, ...errors(400, 401, 403, 404) },
      },
    },
    async (request) => {
      const id = BigInt(request.params.id);
      // Someone else's subscription answers like a missing one: ids do not reveal other members' hooks.
      if (!(await findSubscriptionOf(app.sql, memberOf(request).id, id))) {
        throw notFound("RC_WEBHOOK_NOT_FOUND", `no webhook ${request.params.id} of yours`);
      }
      const deliveries = await deliveriesOf(app.sql, id, Number(request.query.limit ?? 100));
      return {
        deliveries: deliveries.map((d) => ({
          ...d,
          id: Number(d.id),
          eventId: Number(d.eventId),
          startedAt: d.startedAt.toISOString(),
          finishedAt: d.finishedAt.toISOString(),
        })),
      };
    },
  );
};

export default webhookRoutes;
