/** The console's list routes (issue 13): their queries and pages, reusing each domain's item schema. */
import { Type } from "typebox";
import { Address, EventStatus, Id } from "./common.js";
import { CreditEvent } from "./events.js";
import { page, pageQuery, QueryBoolean, QueryId, QuerySearch, QueryTime } from "./pages.js";
import { Payment, PaymentStatus } from "./payments.js";
import { Redemption } from "./redemptions.js";
import { collectorListItem, delivery } from "./examples.js";

const EventKind = Type.Enum(["collection", "loyalty", "bonus"]);

export const EventListQuery = pageQuery({
  status: Type.Optional(EventStatus),
  kind: Type.Optional(EventKind),
  programId: Type.Optional(QueryId),
  issuerId: Type.Optional(Type.String({ pattern: "^[1-9][0-9]{0,15}$", description: "Admins only: one issuer's events" })),
  since: Type.Optional(QueryTime),
  until: Type.Optional(QueryTime),
});
export const EventListPage = page(CreditEvent, "Credit events, newest first");

export const CollectorListQuery = pageQuery({
  registeredBy: Type.Optional(Type.String({ pattern: "^[1-9][0-9]{0,15}$", description: "Admins only: one point's collectors" })),
  q: Type.Optional(QuerySearch(100, "A part of the display name or address")),
});
export const CollectorListPage = page(
  Type.Object({
    id: Id,
    address: Address,
    displayName: Type.Union([Type.String(), Type.Null()]),
    registeredBy: Id,
    createdAt: Type.String({ format: "date-time" }),
  }, { examples: [collectorListItem] }),
  "Registered wallet collectors, newest first",
);

export const PaymentListQuery = pageQuery({ programId: Type.Optional(QueryId), status: Type.Optional(PaymentStatus) });
export const PaymentListPage = page(Payment, "Payments, newest first");

export const RedemptionListQuery = pageQuery({ programId: Type.Optional(QueryId), status: Type.Optional(PaymentStatus) });
export const RedemptionListPage = page(Redemption, "Redemptions, newest first");

export const DeliveryListQuery = pageQuery({
  subscriptionId: Type.Optional(QueryId),
  memberId: Type.Optional(Type.String({ pattern: "^[1-9][0-9]{0,15}$", description: "Admins only: one member's deliveries" })),
  failed: Type.Optional(QueryBoolean),
});
export const DeliveryListPage = page(
  Type.Object({
    id: Id,
    subscriptionId: Id,
    memberId: Id,
    eventId: Id,
    eventType: Type.String(),
    attempt: Type.Integer({ minimum: 1 }),
    statusCode: Type.Union([Type.Integer(), Type.Null()], { description: "null when no answer came" }),
    error: Type.Union([Type.String(), Type.Null()]),
    durationMs: Type.Integer({ minimum: 0 }),
    startedAt: Type.String({ format: "date-time" }),
    finishedAt: Type.String({ format: "date-time" }),
  }, { examples: [{ ...delivery, subscriptionId: 5, memberId: 2 }] }),
  "Webhook delivery attempts, newest first",
);
