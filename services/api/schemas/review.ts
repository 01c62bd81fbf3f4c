/** The admin's bulk decision on held events (POST /v1/events/review): one reason, many ids, an answer per id. */
import { Type } from "typebox";
import { Id } from "./common.js";

/** The most ids one decision takes: a page of the console's queue, decided within one request's time. */
export const MAX_BULK_REVIEW = 200;

export const BulkReviewBody = Type.Object(
  {
    action: Type.Enum(["approve", "reject"]),
    ids: Type.Array(Id, { minItems: 1, maxItems: MAX_BULK_REVIEW, uniqueItems: true, description: "Held events, decided in this order" }),
    reason: Type.String({ minLength: 1, maxLength: 500, description: "Kept with every decision and its audit entry" }),
  },
  { additionalProperties: false, examples: [{ action: "approve", ids: [101, 102], reason: "scale tickets checked" }] },
);

export const BulkReviewAnswer = Type.Object({
  action: Type.Enum(["approve", "reject"]),
  results: Type.Array(
    Type.Object({
      id: Id,
      outcome: Type.Enum(["approved", "rejected", "not_found", "not_held"]),
      code: Type.Optional(Type.String({ description: "Why it was not decided, e.g. RC_EVENT_NOT_HELD" })),
      message: Type.Optional(Type.String()),
    }),
    { description: "One per id, in the order given" },
  ),
}, {
  examples: [
    {
      action: "approve",
      results: [
        { id: 101, outcome: "approved" },
        { id: 102, outcome: "not_held", code: "RC_EVENT_NOT_HELD", message: "event 102 is confirmed, not held" },
      ],
    },
  ],
});
