import { Type, type Static } from "typebox";

export const ErrorResponse = Type.Object(
  {
    error: Type.Object({
      code: Type.String({ pattern: "^RC_[A-Z0-9_]+$" }),
      message: Type.String(),
      details: Type.Optional(Type.Record(Type.String(), Type.Unknown())),
    }),
  },
  { $id: "Error", description: "Every 4xx and 5xx answer has this shape." },
);

/**
 * A 20-byte hex address: all lower-case (or upper-case) hex, or with a valid EIP-55 checksum; a mixed-case address
 * whose checksum fails is refused with RC_BAD_CHECKSUM. The API answers with the EIP-55 checksum form.
 */
export const Address = Type.String({ pattern: "^0x[0-9a-fA-F]{40}$", "x-eip55": true, description: "EVM address (EIP-55 checksum checked when mixed-case)" });

/** A string field of an answer that carries a secret: the answer is sent with `Cache-Control: no-store`. */
export const Secret = (description: string) => Type.String({ description, "x-secret": true });

/** Token amounts travel as decimal strings in token units, never as floats. */
export const TokenAmount = Type.String({
  pattern: "^(0|[1-9][0-9]{0,59})(\\.[0-9]{1,18})?$",
  description: 'Amount in token units as a decimal string, e.g. "12.5"',
  examples: ["12.5"],
});

// Capped at 2^53 - 1: a larger JSON number is not an exact integer, and past 2^63 it fails the bigint column.
export const Id = Type.Integer({ minimum: 1, maximum: Number.MAX_SAFE_INTEGER, description: "Sequential id" });

export const IdParams = Type.Object({
  id: Type.String({ pattern: "^[1-9][0-9]{0,15}$", description: "Sequential id" }),
});
export type IdParams = Static<typeof IdParams>;

const IdempotencyKey = Type.String({
  minLength: 1,
  maxLength: 200,
  pattern: "^[\\x21-\\x7e]+$",
  description: "Client-chosen key: the same key and body replay the first answer; another body is refused.",
});

export const IdempotencyHeaders = Type.Object({ "idempotency-key": IdempotencyKey });

/** For a route whose older clients send no key: without one, each request is handled on its own. */
export const OptionalIdempotencyHeaders = Type.Object({ "idempotency-key": Type.Optional(IdempotencyKey) });

export const EventStatus = Type.Enum(
  ["pending", "submitted", "included", "confirmed", "held", "rejected", "escrowed", "failed"],
  {
    description:
      "pending (queued to mint) → submitted (tx sent) → included (in a block) → confirmed (CHAIN_CONFIRMATIONS blocks " +
      "deep, or finalized; a reorganisation can take an included or confirmed credit back to submitted); or held for review → pending | rejected; " +
      "escrowed: a phone-only collector's credit, nothing minted until claimed to a wallet → pending; " +
      "failed: the token refuses it (failureCode, failureReason) → pending (retried) | rejected",
  },
);

/** Standard error answers a route can give, for the OpenAPI document. */
export const errors = (...statuses: (400 | 401 | 403 | 404 | 409 | 413 | 415 | 503)[]) =>
  Object.fromEntries(statuses.map((status) => [status, ErrorResponse]));
