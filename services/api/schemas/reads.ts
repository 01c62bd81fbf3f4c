import { Type } from "typebox";
import { Address, Id, Secret, TokenAmount } from "./common.js";
import { Payment } from "./payments.js";
import { A, balance, H, payment } from "./examples.js";

const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(schema: T) => Type.Union([schema, Type.Null()]);
const TxHash = Nullable(Type.String({ description: "0x-prefixed transaction hash" }));
const UnixSeconds = Type.Integer({ minimum: 0, maximum: 2 ** 48 - 1, description: "Unix time, seconds" });

export const LoginBody = Type.Object(
  {
    address: Address,
    issuedAt: UnixSeconds,
    signature: Type.String({
      pattern: "^0x(?:[0-9a-fA-F]{2}){65,2048}$",
      description:
        'EIP-712 signature of Login(address wallet,uint256 issuedAt), domain {name: "recircle", version: "1", chainId}: ' +
        "a key's 65 bytes, or a passkey account's WebAuthn assertion (ERC-6492-wrapped while the account is not created)",
    }),
  },
  { additionalProperties: false, examples: [{ address: A.collector, issuedAt: 1_795_000_000, signature: H.signature }] },
);

export const Session = Type.Object({
  token: Secret("Send as 'Authorization: Bearer <token>' to read your own wallet"),
  expiresAt: UnixSeconds,
}, { examples: [{ token: "eyJ3YWxsZXQiOiIweENBRkUifQ.c2lnbmF0dXJl", expiresAt: 1_795_086_400 }] });

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
    kind: Type.Enum(["collection", "loyalty", "bonus", "payment", "transfer", "reversal"]),
    reason: Type.String({
      pattern: "^RC_[A-Z0-9_]+$",
      description:
        "RC_COLLECTION_CREDIT, RC_COLLECTION_BONUS (a lot's confirmation released a held bonus), RC_LOYALTY_CREDIT, RC_PAYMENT_OUT, RC_PAYMENT_IN, RC_CREDIT_REVERSED; for transfers made without us: RC_TRANSFER_IN, RC_TRANSFER_OUT, RC_MINT, RC_BURN",
    }),
    holdReasons: Type.Array(Type.String(), { description: "Why a credit was held for review (RC_OVER_EVENT_MAX, ...)" }),
    direction: Type.Enum(["in", "out"]),
    programId: Id,
    amount: TokenAmount,
    status: Type.Enum(["pending", "submitted", "included", "confirmed", "held", "rejected", "failed", "escrowed"]),
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
}, {
  examples: [
    {
      address: A.collector,
      registered: true,
      displayName: "Ibu Sari",
      indexedBlock: 1900,
      balancesBlock: 1900,
      updating: false,
      balances: [balance],
      history: [
        {
          kind: "payment", reason: "RC_PAYMENT_OUT", holdReasons: [], direction: "out", programId: 1, amount: "2", status: "confirmed",
          id: 31, counterparty: A.retailer, txHash: H.tx2, blockNumber: 1850, at: "2026-11-30T10:00:00.000Z",
        },
        {
          kind: "collection", reason: "RC_COLLECTION_CREDIT", holdReasons: [], direction: "in", programId: 1, amount: "2.5", status: "confirmed",
          id: 101, counterparty: A.point, material: "PET", grams: 2500, txHash: H.tx1, blockNumber: 1842, at: "2026-11-30T09:15:00.000Z",
        },
      ],
    },
  ],
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
}, {
  examples: [
    {
      id: 4,
      name: "Warung Bu Tini",
      address: A.retailer,
      indexedBlock: 1950,
      balancesBlock: 1950,
      updating: false,
      balances: [{ ...balance, balance: "52" }],
      payments: [payment],
      redemptions: [
        {
          id: 7, programId: 1, tokens: "150", status: "confirmed", failureReason: null, txHash: H.tx3, blockNumber: 1901,
          gross: "1.5", fee: "0.0075", net: "1.4925", createdAt: "2026-11-30T11:00:00.000Z",
        },
      ],
    },
  ],
});

/** What anyone may know of a shop before paying it: its display name, nothing else. */
export const PublicRetailer = Type.Object({
  address: Address,
  name: Type.String({ description: "The shop's display name, as registered by the network" }),
}, { examples: [{ address: A.retailer, name: "Warung Bu Tini" }] });
