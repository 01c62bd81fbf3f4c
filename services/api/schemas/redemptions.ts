import { type TSchema, Type } from "typebox";
import { Address, Id, TokenAmount } from "./common.js";
import { H, redemption } from "./examples.js";

/** Stablecoin amounts: decimal strings in the stablecoin's units (tUSD has 6 decimals). */
const StableAmount = Type.String({ pattern: "^(0|[1-9][0-9]*)(\\.[0-9]+)?$", description: 'Stablecoin units, e.g. "1.4925"' });
const Nullable = <T extends TSchema>(schema: T) => Type.Union([schema, Type.Null()]);

export const RedemptionBody = Type.Object(
  {
    programId: Id,
    amount: TokenAmount,
    permit: Type.Object(
      {
        deadline: Type.Integer({ minimum: 0, maximum: 2 ** 48 - 1, description: "Unix time, seconds" }),
        signature: Type.String({ pattern: "^0x[0-9a-fA-F]{130}$", description: "65-byte EIP-712 signature" }),
      },
      { additionalProperties: false, description: "EIP-2612 Permit(retailer → vault, amount, the token's next nonce, deadline)" },
    ),
  },
  { additionalProperties: false, examples: [{ programId: 1, amount: "150", permit: { deadline: 1_796_000_000, signature: H.signature } }] },
);

export const DepositDraw = Type.Object({ depositId: Id, sponsor: Address, amount: StableAmount });

export const Redemption = Type.Object({
  id: Id,
  programId: Id,
  retailer: Address,
  tokens: TokenAmount,
  deadline: Type.Integer(),
  status: Type.Enum(["pending", "submitted", "included", "confirmed", "failed"], {
    description: "pending → submitted → included (in a block) → confirmed (CHAIN_CONFIRMATIONS deep, or finalized), or failed",
  }),
  gross: Nullable(StableAmount),
  fee: Nullable(StableAmount),
  net: Nullable(StableAmount),
  draws: Type.Array(DepositDraw, { description: "The deposits that paid it, oldest first (once confirmed)" }),
  vaultRedemptionId: Nullable(Id),
  failureReason: Nullable(Type.String()),
  txHash: Nullable(Type.String()),
  blockNumber: Nullable(Type.Integer()),
  createdAt: Type.String({ format: "date-time" }),
}, { examples: [redemption] });
