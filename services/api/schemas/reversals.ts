import { Type } from "typebox";
import { Address, Id, TokenAmount } from "./common.js";

const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(schema: T) => Type.Union([schema, Type.Null()]);

export const ReverseBody = Type.Object(
  { reason: Type.String({ minLength: 1, maxLength: 500, description: "Why, e.g. 'scale misread: 1.2 kg, not 12 kg'" }) },
  { additionalProperties: false },
);

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
  status: Type.Union([Type.Literal("pending"), Type.Literal("submitted"), Type.Literal("confirmed"), Type.Literal("failed")]),
  txHash: Nullable(Type.String()),
  blockNumber: Nullable(Type.Integer()),
  createdAt: Type.String({ format: "date-time" }),
});
