import { Type } from "typebox";
import { Address, Id, TokenAmount } from "./common.js";
import { page, pageQuery, QueryId } from "./pages.js";
import { reversal } from "./examples.js";

const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(schema: T) => Type.Union([schema, Type.Null()]);

export const ReverseBody = Type.Object(
  { reason: Type.String({ minLength: 1, maxLength: 500, description: "Why, e.g. 'scale misread: 1.2 kg, not 12 kg'" }) },
  { additionalProperties: false, examples: [{ reason: "scale misread: 0.25 kg, not 2.5 kg" }] },
);

const ReversalStatus = Type.Enum(["pending", "submitted", "included", "confirmed", "failed"]);

export const Reversal = Type.Object({
  id: Id,
  eventId: Id,
  programId: Id,
  holder: Address,
  reason: Type.String(),
  requestedBy: Id,
  amount: Type.String({ description: "The event's credit, in token units" }),
  burned: Nullable(TokenAmount),
  shortfall: Nullable(Type.String({ description: "What the holder had already spent: amount − burned" })),
  status: ReversalStatus,
  txHash: Nullable(Type.String()),
  blockNumber: Nullable(Type.Integer()),
  createdAt: Type.String({ format: "date-time" }),
}, { examples: [reversal] });

export const ReversalListQuery = pageQuery({ status: Type.Optional(ReversalStatus), programId: Type.Optional(QueryId) });
export const ReversalListPage = page(
  Type.Object(
    { ...Reversal.properties, failureReason: Nullable(Type.String({ description: "Why a failed one failed" })) },
    { examples: [{ ...reversal, failureReason: null }] },
  ),
  "Reversals of credits, failed attempts too, newest first",
);
