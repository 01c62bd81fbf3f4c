import { Type } from "typebox";
import { MATERIALS } from "../../core/materials.js";
import { Address, Id, TokenAmount } from "./common.js";
import { page, pageQuery } from "./pages.js";
import { H, program, termsChange } from "./examples.js";

const ProgramKind = Type.Enum(["recycling", "loyalty"]);
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
    // Keys outside EventType's pattern are refused, not admitted unchecked with whatever value they carry.
    events: Type.Record(EventType, EventRule, { minProperties: 1, maxProperties: 50, additionalProperties: false }),
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
  { additionalProperties: false, description: "Over any cap, an event is held for review; a cap not shown is none" },
);

const CapsRequest = Type.Object(
  {
    perEvent: Type.Optional(TokenAmount),
    perBeneficiaryDaily: Type.Optional(TokenAmount),
    perIssuerDaily: Type.Optional(
      Type.Union([TokenAmount, Type.Null()], {
        description:
          "Tokens one issuer may credit in a UTC day. Left out of a recycling program: 1,000 kg a day at its best rate; " +
          "null: no bound, on purpose",
      }),
    ),
  },
  { additionalProperties: false, description: "Over any cap, an event is held for review; 0 holds every credit" },
);

/** Where a program runs: its drop-offs' local phone numbers (0812…, 0917…) are read in this country's numbering plan. */
export const PhoneCountry = Type.String({
  pattern: "^[A-Z]{2}$",
  description: "ISO 3166-1 alpha-2 country, e.g. \"ID\" or \"PH\": local phone numbers for the program are read in it. Default \"ID\"",
});

export const CreateProgramBody = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 64 }),
    symbol: Type.String({ pattern: "^[A-Z0-9]{1,11}$" }),
    kind: ProgramKind,
    closedLoop: Type.Optional(Type.Boolean()),
    redemptionRate: Type.Optional(StableAmount),
    rates: Type.Optional(Rates),
    rules: Type.Optional(Rules),
    caps: Type.Optional(CapsRequest),
    bonusShareBps: Type.Optional(
      Type.Integer({
        minimum: 0,
        maximum: 10_000,
        description: "Recycling only: the share of each drop-off's credit held until a processor confirms its lot",
      }),
    ),
    phoneCountry: Type.Optional(PhoneCountry),
  },
  {
    additionalProperties: false,
    examples: [
      {
        name: "Bank Sampah Token",
        symbol: "BST",
        kind: "recycling",
        closedLoop: true,
        redemptionRate: "0.01",
        rates: { PET: "1", ALUMINIUM: "4" },
        caps: { perEvent: "500", perBeneficiaryDaily: "1000", perIssuerDaily: "10000" },
        bonusShareBps: 2000,
        phoneCountry: "ID",
      },
      {
        name: "Warung Points",
        symbol: "WPT",
        kind: "loyalty",
        rules: {
          events: { purchase: { perUnit: "0.01" }, review: { fixed: "1" } },
          campaigns: [{ name: "Ramadan", from: "2027-02-08T00:00:00Z", to: "2027-03-09T00:00:00Z", multiplierBps: 20000, types: ["purchase"] }],
        },
      },
    ],
  },
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
  paused: Type.Boolean({ description: "Its token is paused on chain: no mint, payment or redemption until unpaused" }),
  phoneCountry: PhoneCountry,
}, { $id: "Program", examples: [program] });

const BonusShareBps = Type.Integer({
  minimum: 0,
  maximum: 10_000,
  description: "Recycling only: the share of each drop-off's credit held until a processor confirms its lot",
});

/** A change of terms: the parts given replace the program's, checked as at creation; the parts left out stay. */
export const TermsChangeBody = Type.Object(
  {
    rates: Type.Optional(Rates),
    rules: Type.Optional(Rules),
    caps: Type.Optional(CapsRequest),
    bonusShareBps: Type.Optional(BonusShareBps),
  },
  {
    additionalProperties: false,
    minProperties: 1,
    description: "Applies to events accepted from now on",
    examples: [{ rates: { PET: "1.2", ALUMINIUM: "4" } }, { caps: { perIssuerDaily: null }, bonusShareBps: 0 }],
  },
);

const Terms = Type.Object({
  rates: Rates,
  rules: Type.Object({ events: Type.Record(EventType, EventRule), campaigns: Type.Array(Campaign) }),
  caps: Caps,
  bonusShareBps: Type.Integer(),
});

export const TermsChange = Type.Object({
  id: Id,
  programId: Id,
  actorId: Id,
  before: Terms,
  after: Terms,
  at: Type.String({ format: "date-time" }),
}, { examples: [termsChange] });

export const TermsHistoryQuery = pageQuery({});
export const TermsHistoryPage = page(TermsChange, "Changes of the program's terms, newest first");

export const PauseState = Type.Object({
  programId: Id,
  paused: Type.Boolean(),
  txHash: Type.Union([Type.String(), Type.Null()], { description: "The pause or unpause; null when the token was so already" }),
}, { examples: [{ programId: 1, paused: true, txHash: H.tx1 }] });

export const GrantBody = Type.Object({ memberId: Id }, { additionalProperties: false, examples: [{ memberId: 4 }] });

export const Grant = Type.Object({
  programId: Id,
  memberId: Id,
  role: Type.Enum(["issuer", "acceptor", "processor"]),
  txHash: Type.Union([Type.String(), Type.Null()], { description: "The on-chain grant, for acceptors" }),
}, { examples: [{ programId: 1, memberId: 4, role: "acceptor", txHash: H.tx2 }] });

export const RoleParams = Type.Object({
  id: Type.String({ pattern: "^[1-9][0-9]{0,15}$", description: "Program id" }),
  memberId: Type.String({ pattern: "^[1-9][0-9]{0,15}$", description: "Member id" }),
});

export const Revocation = Type.Object({
  programId: Id,
  memberId: Id,
  role: Type.Enum(["issuer", "acceptor", "processor"]),
  txHash: Type.Union([Type.String(), Type.Null()], { description: "The on-chain revocation, for acceptors" }),
}, { examples: [{ programId: 1, memberId: 2, role: "issuer", txHash: null }] });
