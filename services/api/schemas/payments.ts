import { Type } from "typebox";
import { Address, Id, TokenAmount } from "./common.js";

const Seconds = Type.Integer({ minimum: 0, maximum: 2 ** 48 - 1, description: "Unix time, seconds" });

export const Authorization = Type.Object(
  {
    from: Address,
    to: Address,
    value: TokenAmount,
    validAfter: Seconds,
    validBefore: Seconds,
    nonce: Type.String({ pattern: "^0x[0-9a-fA-F]{64}$" }),
  },
  { additionalProperties: false, description: "EIP-3009 TransferWithAuthorization, value in token units" },
);

export const PaymentBody = Type.Object(
  {
    programId: Type.Optional(Id),
    authorization: Type.Optional(Authorization),
    signature: Type.Optional(Type.String({ pattern: "^0x[0-9a-fA-F]{130}$", description: "65-byte EIP-712 signature" })),
    voucher: Type.Optional(Type.String({ maxLength: 400, description: "An offline voucher: recircle:v1:…" })),
  },
  { additionalProperties: false, description: "Either programId + authorization + signature, or a voucher" },
);

export const PaymentStatus = Type.Union(
  [Type.Literal("pending"), Type.Literal("submitted"), Type.Literal("included"), Type.Literal("confirmed"), Type.Literal("failed")],
  {
    description:
      "pending → submitted (relay sent) → included (in a block) → confirmed (CHAIN_CONFIRMATIONS blocks deep, or " +
      "finalized; a reorganisation can take it back to submitted), or failed with the reason",
  },
);

export const Payment = Type.Object({
  id: Id,
  programId: Id,
  from: Address,
  to: Address,
  value: TokenAmount,
  source: Type.Union([Type.Literal("online"), Type.Literal("voucher")]),
  status: PaymentStatus,
  failureReason: Type.Union([Type.String(), Type.Null()]),
  txHash: Type.Union([Type.String(), Type.Null()]),
  blockNumber: Type.Union([Type.Integer(), Type.Null()]),
  createdAt: Type.String({ format: "date-time" }),
});
