import { Type } from "typebox";
import { MATERIALS } from "../../core/materials.js";
import { Address, EventStatus, Id, TokenAmount } from "./common.js";
import { A, creditEvent, H, loyaltyEvent } from "./examples.js";

export const Material = Type.Enum(MATERIALS);
const EvidenceHash = Type.String({ pattern: "^0x[0-9a-fA-F]{64}$", description: "e.g. sha-256 of a scale ticket photo" });

export const CollectionBody = Type.Object(
  {
    programId: Id,
    // Exactly one of the two (checked by the route, see services/flows/beneficiary.ts).
    collector: Type.Optional(Address),
    phone: Type.Optional(Type.String({ minLength: 1, maxLength: 32, description: "A phone collector's number, E.164" })),
    material: Material,
    grams: Type.Integer({ minimum: 1, maximum: 10_000_000, description: "Weighed mass, up to 10 t" }),
    evidenceHash: Type.Optional(EvidenceHash),
  },
  // One of collector and phone, never both: the API refuses a body with both.
  {
    additionalProperties: false,
    examples: [
      { programId: 1, collector: A.collector, material: "PET", grams: 2500, evidenceHash: H.root },
      { programId: 1, phone: "+6281234567890", material: "ALUMINIUM", grams: 800 },
    ],
  },
);

export const LoyaltyEventBody = Type.Object(
  {
    programId: Id,
    customer: Address,
    type: Type.String({ pattern: "^[a-z][a-z0-9_]{0,39}$" }),
    value: Type.Optional(TokenAmount),
    evidenceHash: Type.Optional(EvidenceHash),
  },
  { additionalProperties: false, examples: [{ programId: 3, customer: A.collector, type: "purchase", value: "40" }] },
);

export const CreditEvent = Type.Object({
  id: Id,
  kind: Type.Enum(["collection", "loyalty", "bonus"]),
  programId: Id,
  issuerId: Id,
  beneficiary: Address,
  material: Type.Optional(Material),
  grams: Type.Optional(Type.Integer()),
  type: Type.Optional(Type.String()),
  value: Type.Optional(TokenAmount),
  campaign: Type.Optional(Type.String()),
  evidenceHash: Type.Optional(Type.String()),
  tokens: TokenAmount,
  status: EventStatus,
  reasons: Type.Array(Type.String(), { description: "Why an event is held (RC_OVER_EVENT_MAX, ...)" }),
  reviewNote: Type.Optional(Type.String()),
  failureCode: Type.Optional(Type.String({ description: "Why the token refused it, e.g. RC_ARITHMETIC_OVERFLOW (status failed)" })),
  failureReason: Type.Optional(Type.String()),
  failedAt: Type.Optional(Type.String({ format: "date-time" })),
  txHash: Type.Union([Type.String(), Type.Null()]),
  blockNumber: Type.Union([Type.Integer(), Type.Null()]),
  createdAt: Type.String({ format: "date-time" }),
}, { $id: "CreditEvent", examples: [creditEvent, loyaltyEvent] });

export const CollectionListQuery = Type.Object(
  {
    programId: Type.String({ pattern: "^[1-9][0-9]{0,15}$" }),
    since: Type.String({ format: "date-time", description: "e.g. the point's local midnight" }),
    // A string: querystrings are not coerced (coerceTypes: false), so an Integer here refused every ?limit=.
    limit: Type.Optional(Type.String({ pattern: "^(500|[1-4][0-9]{2}|[1-9][0-9]?)$", description: "1 to 500, default 200" })),
  },
  { additionalProperties: false },
);

export const ReviewBody = Type.Object(
  { reason: Type.String({ minLength: 1, maxLength: 500 }) },
  { additionalProperties: false, examples: [{ reason: "photo of the scale ticket matches the weight" }] },
);

const PositiveId = (description: string) => Type.String({ pattern: "^[1-9][0-9]{0,15}$", description });

export const FailedEventsQuery = Type.Object(
  {
    programId: Type.Optional(PositiveId("Only this program's events")),
    after: Type.Optional(PositiveId("The `next` of the previous page")),
    // Strings: querystrings are not coerced (coerceTypes: false).
    limit: Type.Optional(Type.String({ pattern: "^(500|[1-4][0-9]{2}|[1-9][0-9]?)$", description: "1 to 500, default 100" })),
  },
  { additionalProperties: false },
);

export const StuckEventsQuery = Type.Object(
  {
    ...FailedEventsQuery.properties,
    olderThanMinutes: Type.Optional(
      Type.String({ pattern: "^[1-9][0-9]{0,4}$", description: "Stuck past this many minutes since the last change; default STUCK_EVENT_MINUTES" }),
    ),
  },
  { additionalProperties: false },
);

export const EventPage = Type.Object({
  events: Type.Array(CreditEvent),
  next: Type.Union([Id, Type.Null()], { description: "Pass as `after` for the next page; null on the last" }),
}, {
  examples: [
    {
      events: [
        { ...creditEvent, status: "failed", failureCode: "RC_ENFORCED_PAUSE", failureReason: "the token is paused", failedAt: creditEvent.createdAt, txHash: null, blockNumber: null },
      ],
      next: null,
    },
  ],
});
