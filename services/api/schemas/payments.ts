import { Type } from "typebox";
import { Address, Id, TokenAmount } from "./common.js";
import { A, H, payment } from "./examples.js";

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
    signature: Type.Optional(
      Type.String({
        pattern: "^0x(?:[0-9a-fA-F]{2}){65,2048}$",
        description:
          "The payer's signature of the EIP-712 digest: a key's 65 bytes, or a passkey account's WebAuthn assertion " +
          "(ABI-encoded as OpenZeppelin's WebAuthn.WebAuthnAuth; wrapped as ERC-6492 with createAccount(qx, qy) " +
          "while the account does not exist yet)",
      }),
    ),
    voucher: Type.Optional(
      Type.String({
        // A passkey voucher is about 330 characters; its client data may carry up to 400 bytes, its authenticator data 255.
        maxLength: 1200,
        description: "An offline voucher: recircle:v1:… (a key's signature) or recircle:v2:… (a passkey's assertion)",
      }),
    ),
  },
  {
    additionalProperties: false,
    description: "Either programId + authorization + signature, or a voucher",
    examples: [
      {
        programId: 1,
        authorization: { from: A.collector, to: A.retailer, value: "2", validAfter: 0, validBefore: 1_796_000_000, nonce: H.nonce },
        signature: H.signature,
      },
    ],
  },
);

export const PaymentStatus = Type.Enum(
  ["pending", "submitted", "included", "confirmed", "failed"],
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
  source: Type.Enum(["online", "voucher"]),
  status: PaymentStatus,
  failureReason: Type.Union([Type.String(), Type.Null()]),
  txHash: Type.Union([Type.String(), Type.Null()]),
  blockNumber: Type.Union([Type.Integer(), Type.Null()]),
  createdAt: Type.String({ format: "date-time" }),
}, { $id: "Payment", examples: [payment] });
