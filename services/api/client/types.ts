/**
 * Every request and answer shape, as TypeScript types of the TypeBox schemas (services/api/schemas/): what
 * the web app, the scripts and the client use instead of copies. Type-only imports: nothing of the server
 * (not even typebox) reaches a bundle through this file.
 */
import type { Static } from "typebox";
import type {
  ClaimBody as ClaimBodySchema,
  ClaimCode as ClaimCodeSchema,
  Claimed as ClaimedSchema,
  Collector as CollectorSchema,
  RegisterBody as RegisterBodySchema,
} from "../schemas/collectors.js";
import type { ErrorResponse as ErrorResponseSchema } from "../schemas/common.js";
import type { CreditReport as CreditReportSchema } from "../schemas/credit.js";
import type {
  CollectionBody as CollectionBodySchema,
  CollectionListQuery as CollectionListQuerySchema,
  CreditEvent as CreditEventSchema,
  LoyaltyEventBody as LoyaltyEventBodySchema,
} from "../schemas/events.js";
import type { Health as HealthSchema } from "../schemas/health.js";
import type { CreateLotBody as CreateLotBodySchema, Lot as LotSchema, LotProof as LotProofSchema } from "../schemas/lots.js";
import type { CreatedMember as CreatedMemberSchema, CreateMemberBody as CreateMemberBodySchema, Me as MeSchema, Member as MemberSchema } from "../schemas/members.js";
import type { NetworkInfo as NetworkInfoSchema, PermitParams as PermitParamsSchema, PublicProgram as PublicProgramSchema } from "../schemas/network.js";
import type { PaymentBody as PaymentBodySchema, Payment as PaymentSchema } from "../schemas/payments.js";
import type { CreateProgramBody as CreateProgramBodySchema, Grant as GrantSchema, Program as ProgramSchema } from "../schemas/programs.js";
import type {
  Balance as BalanceSchema,
  CollectorLedger as CollectorLedgerSchema,
  HistoryItem as HistoryItemSchema,
  LoginBody as LoginBodySchema,
  Redemption as RedemptionSummarySchema,
  RetailerOverview as RetailerOverviewSchema,
  Session as SessionSchema,
} from "../schemas/reads.js";
import type { RedemptionBody as RedemptionBodySchema, Redemption as RedemptionSchema } from "../schemas/redemptions.js";
import type { Reversal as ReversalSchema, ReverseBody as ReverseBodySchema } from "../schemas/reversals.js";
import type {
  DepositBody as DepositBodySchema,
  DepositReceipt as DepositReceiptSchema,
  FundFlowQuery as FundFlowQuerySchema,
  FundFlow as FundFlowSchema,
} from "../schemas/sponsors.js";

export type ErrorResponse = Static<typeof ErrorResponseSchema>;

export type NetworkInfo = Static<typeof NetworkInfoSchema>;
export type PublicProgram = Static<typeof PublicProgramSchema>;
export type PermitParams = Static<typeof PermitParamsSchema>;
export type Health = Static<typeof HealthSchema>;

export type LoginBody = Static<typeof LoginBodySchema>;
export type Session = Static<typeof SessionSchema>;

export type CreateMemberBody = Static<typeof CreateMemberBodySchema>;
export type Member = Static<typeof MemberSchema>;
export type CreatedMember = Static<typeof CreatedMemberSchema>;
export type Me = Static<typeof MeSchema>;

export type CreateProgramBody = Static<typeof CreateProgramBodySchema>;
export type Program = Static<typeof ProgramSchema>;
export type Grant = Static<typeof GrantSchema>;

export type RegisterBody = Static<typeof RegisterBodySchema>;
export type Collector = Static<typeof CollectorSchema>;
export type ClaimBody = Static<typeof ClaimBodySchema>;
export type ClaimCode = Static<typeof ClaimCodeSchema>;
export type Claimed = Static<typeof ClaimedSchema>;
export type Balance = Static<typeof BalanceSchema>;
export type HistoryItem = Static<typeof HistoryItemSchema>;
export type CollectorLedger = Static<typeof CollectorLedgerSchema>;
export type CreditReport = Static<typeof CreditReportSchema>;

export type CollectionBody = Static<typeof CollectionBodySchema>;
export type CollectionListQuery = Static<typeof CollectionListQuerySchema>;
export type LoyaltyEventBody = Static<typeof LoyaltyEventBodySchema>;
export type CreditEvent = Static<typeof CreditEventSchema>;
export type ReverseBody = Static<typeof ReverseBodySchema>;
export type Reversal = Static<typeof ReversalSchema>;

export type CreateLotBody = Static<typeof CreateLotBodySchema>;
export type Lot = Static<typeof LotSchema>;
export type LotProof = Static<typeof LotProofSchema>;

export type PaymentBody = Static<typeof PaymentBodySchema>;
export type Payment = Static<typeof PaymentSchema>;

export type RedemptionBody = Static<typeof RedemptionBodySchema>;
/** GET/POST /v1/redemptions: one redemption, with the deposits that paid it. */
export type Redemption = Static<typeof RedemptionSchema>;
/** A redemption as GET /v1/retailers/me lists it. */
export type RedemptionSummary = Static<typeof RedemptionSummarySchema>;
export type RetailerOverview = Static<typeof RetailerOverviewSchema>;

export type DepositBody = Static<typeof DepositBodySchema>;
export type DepositReceipt = Static<typeof DepositReceiptSchema>;
export type FundFlowQuery = Static<typeof FundFlowQuerySchema>;
export type FundFlow = Static<typeof FundFlowSchema>;
