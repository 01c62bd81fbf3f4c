import { Type } from "typebox";
import { WEBHOOK_EVENT_TYPES } from "../../db/webhook-outbox.js";
import { Id, Secret } from "./common.js";
import { delivery, webhook } from "./examples.js";

export const WebhookEventType = Type.Enum(WEBHOOK_EVENT_TYPES, {
  description: "credit.confirmed, payment.settled, redemption.paid, lot.confirmed, credit.reversed, credit.failed or credit.rejected",
});

export const CreateWebhookBody = Type.Object(
  {
    url: Type.String({ minLength: 1, maxLength: 2048, description: "http or https; no credentials, no fragment" }),
    events: Type.Array(WebhookEventType, { minItems: 1, maxItems: WEBHOOK_EVENT_TYPES.length, uniqueItems: true }),
  },
  { additionalProperties: false, examples: [{ url: webhook.url, events: webhook.events }] },
);

export const Webhook = Type.Object({
  id: Id,
  url: Type.String(),
  events: Type.Array(Type.String()),
  active: Type.Boolean(),
  createdAt: Type.String({ format: "date-time" }),
});

export const CreatedWebhook = Type.Object({
  ...Webhook.properties,
  secret: Secret("Shown once: the HMAC-SHA256 key that signs this subscription's deliveries"),
}, { examples: [{ ...webhook, secret: "whsec_9c1e4b7a2d5f8e0c3a6b9d2f5e8a1c4b" }] });

export const WebhookList = Type.Object({ webhooks: Type.Array(Webhook) }, { examples: [{ webhooks: [webhook] }] });

export const WebhookDeliveryList = Type.Object({
  deliveries: Type.Array(
    Type.Object({
      id: Id,
      eventId: Id,
      eventType: Type.String(),
      attempt: Type.Integer({ minimum: 1 }),
      statusCode: Type.Union([Type.Integer(), Type.Null()], { description: "null when no answer came" }),
      error: Type.Union([Type.String(), Type.Null()], {
        description:
          "null when delivered; else a coarse outcome, never a network error's text: redirect, http_4xx, http_5xx, " +
          "http_other, timeout, refused, reset, unresolved, unreachable, tls, blocked_address, network",
      }),
      durationMs: Type.Integer({ minimum: 0 }),
      startedAt: Type.String({ format: "date-time" }),
      finishedAt: Type.String({ format: "date-time" }),
    }),
  ),
}, { examples: [{ deliveries: [delivery] }] });

export const DeliveriesQuery = Type.Object(
  { limit: Type.Optional(Type.String({ pattern: "^[1-9][0-9]{0,2}$", description: "1 to 999, default 100" })) },
  { additionalProperties: false },
);
