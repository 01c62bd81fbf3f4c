import { Type } from "typebox";
import { Address, Id, TokenAmount } from "./common.js";
import { Payment } from "./payments.js";

const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(schema: T) => Type.Union([schema, Type.Null()]);
const TxHash = Nullable(Type.String({ description: "0x-prefixed transaction hash" }));
const UnixSeconds = Type.Integer({ minimum: 0, maximum: 2 ** 48 - 1, description: "Unix time, seconds" });

export const LoginBody = Type.Object(
  {
    address: Address,
    issuedAt: UnixSeconds,
    signature: Type.String({
      pattern: "^0x[0-9a-fA-F]{130}$",
      description: 'EIP-712 signature of Login(address wallet,uint256 issuedAt), domain {name: "recircle", version: "1", chainId}',
    }),
  },
  { additionalProperties: false },
);

export const Session = Type.Object({
  token: Type.String({ description: "Send as 'Authorization: Bearer <token>' to read your own wallet" }),
  expiresAt: UnixSeconds,
});

export const AddressParams = Type.Object({ address: Address });

/** Stablecoin amounts, in its own decimals (the vault's stablecoin, 6 on the dev chain). */
const StableAmount = Type.String({ pattern: "^(0|[1-9][0-9]*)(\\.[0-9]+)?$", description: "Stablecoin units, decimal string" });

export const Balance = Type.Object({
  programId: Id,
  name: Type.String(),
  symbol: Type.String(),
  token: Address,
  balance: TokenAmount,
});

export const HistoryItem = Type.Object(
  {
    kind: Type.Union([
      Type.Literal("collection"),
      Type.Literal("loyalty"),
      Type.Literal("bonus"),
      Type.Literal("payment"),
      Type.Literal("transfer"),
      Type.Literal("reversal"),
    ]),
    reason: Type.String({
      pattern: "^RC_[A-Z0-9_]+$",
      description:
        "RC_COLLECTION_CREDIT, RC_COLLECTION_BONUS (a lot's confirmation released a held bonus), RC_LOYALTY_CREDIT, RC_PAYMENT_OUT, RC_PAYMENT_IN, RC_CREDIT_REVERSED; for transfers made without us: RC_TRANSFER_IN, RC_TRANSFER_OUT, RC_MINT, RC_BURN",
    }),
    holdReasons: Type.Array(Type.String(), { description: "Why a credit was held for review (RC_OVER_EVENT_MAX, ...)" }),
    direction: Type.Union([Type.Literal("in"), Type.Literal("out")]),
    programId: Id,
    amount: TokenAmount,
    status: Type.Union([
      Type.Literal("pending"),
      Type.Literal("submitted"),
      Type.Literal("included"),
      Type.Literal("confirmed"),
      Type.Literal("held"),
      Type.Literal("rejected"),
      Type.Literal("failed"),
      Type.Literal("escrowed"),
    ]),
    id: Type.Optional(Id),
    counterparty: Type.Optional(Address),
    material: Type.Optional(Type.String()),
    grams: Type.Optional(Type.Integer()),
    loyaltyType: Type.Optional(Type.String()),
    failureReason: Type.Optional(Type.String()),
    note: Type.Optional(Type.String({ description: "A reversal's reason, as the admin gave it" })),
    shortfall: Type.Optional(Type.String({ description: "Of a reversal: what had been spent and could not be burned" })),
    txHash: TxHash,
    blockNumber: Nullable(Type.Integer()),
    at: Type.String({ format: "date-time", description: "When we recorded it; for transfers made without us, the block's time" }),
  },
  {
    description:
      "One movement, newest first; id is the event's or the payment's (a reversal's is the reversed event's); a reversal's amount is what was burned",
  },
);

/** Balances include what is on chain but not yet indexed (services/flows/read-balances.ts). */
const BalancesAsOf = {
  balancesBlock: Nullable(
    Type.Integer({ description: "Balances are as of this block: the indexer's checkpoint, or the node's head when the wallet has movements the index has not reached" }),
  ),
  updating: Type.Boolean({ description: "The wallet has movements on chain the index has not reached and the node could not be read: balances leave them out for now" }),
};

export const CollectorLedger = Type.Object({
  address: Address,
  registered: Type.Boolean(),
  displayName: Nullable(Type.String()),
  indexedBlock: Nullable(Type.Integer({ description: "The indexer's checkpoint: transfers made without us are listed up to it" })),
  ...BalancesAsOf,
  balances: Type.Array(Balance),
  history: Type.Array(HistoryItem, { description: "The latest 200 movements" }),
});

export const Redemption = Type.Object({
  id: Id,
  programId: Id,
  tokens: TokenAmount,
  status: Type.String({ description: "pending → submitted → confirmed, or failed" }),
  failureReason: Nullable(Type.String()),
  txHash: TxHash,
  blockNumber: Nullable(Type.Integer()),
  gross: Nullable(StableAmount),
  fee: Nullable(StableAmount),
  net: Nullable(StableAmount),
  createdAt: Type.String({ format: "date-time" }),
});

export const RetailerOverview = Type.Object({
  id: Id,
  name: Type.String(),
  address: Nullable(Address),
  indexedBlock: Nullable(Type.Integer({ description: "The indexer's checkpoint" })),
  ...BalancesAsOf,
  balances: Type.Array(Balance),
  payments: Type.Array(Payment, { description: "The latest 200 payments received" }),
  redemptions: Type.Array(Redemption, { description: "The latest 200 redemptions" }),
});
