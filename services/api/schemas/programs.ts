import { Type } from "typebox";
import { MATERIALS } from "../../core/materials.js";
import { Address, Id, TokenAmount } from "./common.js";

const ProgramKind = Type.Union([Type.Literal("recycling"), Type.Literal("loyalty")]);
const EventType = Type.String({ pattern: "^[a-z][a-z0-9_]{0,39}$", description: "e.g. purchase, review" });
const StableAmount = Type.String({
  pattern: "^(0|[1-9][0-9]{0,30})(\\.[0-9]{1,18})?$",
  description: "Stablecoin units per whole token, e.g. 0.01",
});

const Rates = Type.Object(Object.fromEntries(MATERIALS.map((m) => [m, Type.Optional(TokenAmount)])), {
  additionalProperties: false,
  description: "Tokens per kilogram, by material",
});

const EventRule = Type.Object(
  {
    fixed: Type.Optional(TokenAmount),
    perUnit: Type.Optional(Type.String({ ...TokenAmount, description: "Tokens per unit of the event's value" })),
  },
  { additionalProperties: false },
);

const Campaign = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 100 }),
    from: Type.String({ format: "date-time" }),
    to: Type.String({ format: "date-time" }),
    multiplierBps: Type.Integer({ minimum: 1, maximum: 1_000_000, description: "20000 doubles" }),
    types: Type.Optional(Type.Array(EventType, { minItems: 1, maxItems: 50 })),
  },
  { additionalProperties: false },
);

const Rules = Type.Object(
  {
    events: Type.Record(EventType, EventRule, { minProperties: 1, maxProperties: 50 }),
    campaigns: Type.Optional(Type.Array(Campaign, { maxItems: 50 })),
  },
  { additionalProperties: false },
);

const Caps = Type.Object(
  {
    perEvent: Type.Optional(TokenAmount),
    perBeneficiaryDaily: Type.Optional(TokenAmount),
    perIssuerDaily: Type.Optional(TokenAmount),
  },
  { additionalProperties: false, description: "Over any cap, an event is held for review" },
);

export const CreateProgramBody = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 64 }),
    symbol: Type.String({ pattern: "^[A-Z0-9]{1,11}$" }),
    kind: ProgramKind,
    closedLoop: Type.Optional(Type.Boolean()),
    redemptionRate: Type.Optional(StableAmount),
    rates: Type.Optional(Rates),
    rules: Type.Optional(Rules),
    caps: Type.Optional(Caps),
    bonusShareBps: Type.Optional(
      Type.Integer({
        minimum: 0,
        maximum: 10_000,
        description: "Recycling only: the share of each drop-off's credit held until a processor confirms its lot",
      }),
    ),
  },
  { additionalProperties: false },
);

export const Program = Type.Object({
  id: Id,
  chainProgramId: Id,
  token: Address,
  name: Type.String(),
  symbol: Type.String(),
  kind: ProgramKind,
  closedLoop: Type.Boolean(),
  redemptionRate: StableAmount,
  rates: Rates,
  rules: Type.Object({ events: Type.Record(EventType, EventRule), campaigns: Type.Array(Campaign) }),
  caps: Caps,
  bonusShareBps: Type.Integer(),
  createdTx: Type.String(),
});

export const GrantBody = Type.Object({ memberId: Id }, { additionalProperties: false });

export const Grant = Type.Object({
  programId: Id,
  memberId: Id,
  role: Type.Union([Type.Literal("issuer"), Type.Literal("acceptor")]),
  txHash: Type.Union([Type.String(), Type.Null()], { description: "The on-chain grant, for acceptors" }),
});
