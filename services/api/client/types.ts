/**
 * Every request and answer shape, as TypeScript types of the TypeBox schemas (services/api/schemas/): what
 * the web app, the scripts and the client use instead of copies. Type-only imports: nothing of the server
 * (not even typebox) reaches a bundle through this file.
 */
import type { Static } from "typebox";
import type {
  ClaimBody as ClaimBodySchema,
  ClaimCode as ClaimCodeSchema,
  ClaimCodeBody as ClaimCodeBodySchema,
  Claimed as ClaimedSchema,
  Collector as CollectorSchema,
  RegisterBody as RegisterBodySchema,
} from "../schemas/collectors.js";
import type { ErrorResponse as ErrorResponseSchema } from "../schemas/common.js";
import type { CreditReport as CreditReportSchema } from "../schemas/credit.js";
import type { CollectionDay as CollectionDaySchema, CollectionDayQuery as CollectionDayQuerySchema } from "../schemas/collection-day.js";
import type {
  CollectionBody as CollectionBodySchema,
  CollectionListQuery as CollectionListQuerySchema,
  CreditEvent as CreditEventSchema,
  EventPage as EventPageSchema,
  FailedEventsQuery as FailedEventsQuerySchema,
  StuckEventsQuery as StuckEventsQuerySchema,
  LoyaltyEventBody as LoyaltyEventBodySchema,
} from "../schemas/events.js";
import type { Health as HealthSchema } from "../schemas/health.js";
import type { EventListQuery as EventListQuerySchema } from "../schemas/lists.js";
import type { CreateLotBody as CreateLotBodySchema, Lot as LotSchema, LotListQuery as LotListQuerySchema, LotCandidates as LotCandidatesSchema, LotCandidatesQuery as LotCandidatesQuerySchema, LotProof as LotProofSchema } from "../schemas/lots.js";
import type { CreatedMember as CreatedMemberSchema, CreateMemberBody as CreateMemberBodySchema, Me as MeSchema, Member as MemberSchema, MemberListQuery as MemberListQuerySchema } from "../schemas/members.js";
import type { NetworkInfo as NetworkInfoSchema, PermitParams as PermitParamsSchema, PublicProgram as PublicProgramSchema } from "../schemas/network.js";
import type { PaymentBody as PaymentBodySchema, Payment as PaymentSchema } from "../schemas/payments.js";
import type {
  SignerAccounts as SignerAccountsSchema, SignerChangeBody as SignerChangeBodySchema, SignerChangeReceipt as SignerChangeReceiptSchema,
} from "../schemas/account-signers.js";
import type { CreateProgramBody as CreateProgramBodySchema, Grant as GrantSchema, Program as ProgramSchema } from "../schemas/programs.js";
import type { PauseState as PauseStateSchema, TermsChange as TermsChangeSchema, TermsChangeBody as TermsChangeBodySchema, TermsHistoryQuery as TermsHistoryQuerySchema } from "../schemas/programs.js";
import type {
  Balance as BalanceSchema,
  CollectorLedger as CollectorLedgerSchema,
  HistoryItem as HistoryItemSchema,
  LoginBody as LoginBodySchema,
  Redemption as RedemptionSummarySchema,
  RetailerOverview as RetailerOverviewSchema,
  PublicRetailer as PublicRetailerSchema,
  Session as SessionSchema,
} from "../schemas/reads.js";
import type { RedemptionBody as RedemptionBodySchema, Redemption as RedemptionSchema } from "../schemas/redemptions.js";
import type {
  Reversal as ReversalSchema,
  ReversalListPage as ReversalListPageSchema,
  ReversalListQuery as ReversalListQuerySchema,
  ReverseBody as ReverseBodySchema,
} from "../schemas/reversals.js";
import type { BulkReviewAnswer as BulkReviewAnswerSchema, BulkReviewBody as BulkReviewBodySchema } from "../schemas/review.js";
import type {
  DepositBody as DepositBodySchema,
  DepositReceipt as DepositReceiptSchema,
  FundFlowQuery as FundFlowQuerySchema,
  FundFlow as FundFlowSchema,
} from "../schemas/sponsors.js";
import type {
  DepositWithdrawal as DepositWithdrawalSchema,
  WithdrawalAnnounced as WithdrawalAnnouncedSchema,
  WithdrawalCancelled as WithdrawalCancelledSchema,
  WithdrawalSignatureBody as WithdrawalSignatureBodySchema,
  Withdrawn as WithdrawnSchema,
} from "../schemas/withdrawals.js";

export type ErrorResponse = Static<typeof ErrorResponseSchema>;

export type NetworkInfo = Static<typeof NetworkInfoSchema>;
export type PublicProgram = Static<typeof PublicProgramSchema>;
export type PermitParams = Static<typeof PermitParamsSchema>;
export type Health = Static<typeof HealthSchema>;

export type LoginBody = Static<typeof LoginBodySchema>;
export type Session = Static<typeof SessionSchema>;

export type CreateMemberBody = Static<typeof CreateMemberBodySchema>;
export type Member = Static<typeof MemberSchema>;
export type MemberListQuery = Static<typeof MemberListQuerySchema>;
export type EventListQuery = Static<typeof EventListQuerySchema>;
export type LotListQuery = Static<typeof LotListQuerySchema>;
export type LotCandidatesQuery = Static<typeof LotCandidatesQuerySchema>;
export type LotCandidates = Static<typeof LotCandidatesSchema>;
/** A list route's page: newest first, `next` the cursor of the following page (null on the last). */
export interface Page<T> {
  items: T[];
  next: string | null;
}
export type CreatedMember = Static<typeof CreatedMemberSchema>;
export type Me = Static<typeof MeSchema>;

export type CreateProgramBody = Static<typeof CreateProgramBodySchema>;
export type Program = Static<typeof ProgramSchema>;
export type Grant = Static<typeof GrantSchema>;
export type TermsChangeBody = Static<typeof TermsChangeBodySchema>;
export type TermsChange = Static<typeof TermsChangeSchema>;
export type TermsHistoryQuery = Static<typeof TermsHistoryQuerySchema>;
export type PauseState = Static<typeof PauseStateSchema>;

export type RegisterBody = Static<typeof RegisterBodySchema>;
export type Collector = Static<typeof CollectorSchema>;
export type ClaimBody = Static<typeof ClaimBodySchema>;
export type ClaimCode = Static<typeof ClaimCodeSchema>;
export type ClaimCodeBody = Static<typeof ClaimCodeBodySchema>;
export type Claimed = Static<typeof ClaimedSchema>;
export type Balance = Static<typeof BalanceSchema>;
export type HistoryItem = Static<typeof HistoryItemSchema>;
export type CollectorLedger = Static<typeof CollectorLedgerSchema>;
export type CreditReport = Static<typeof CreditReportSchema>;

export type CollectionBody = Static<typeof CollectionBodySchema>;
export type CollectionListQuery = Static<typeof CollectionListQuerySchema>;
export type LoyaltyEventBody = Static<typeof LoyaltyEventBodySchema>;
export type CreditEvent = Static<typeof CreditEventSchema>;
/** GET /v1/collections/day: a point's day, a page of drop-offs and the whole day's totals by material. */
export type CollectionDay = Static<typeof CollectionDaySchema>;
export type CollectionDayQuery = Static<typeof CollectionDayQuerySchema>;
export type DayDropOff = CollectionDay["items"][number];
export type ReverseBody = Static<typeof ReverseBodySchema>;
export type Reversal = Static<typeof ReversalSchema>;
/** GET /v1/reversals: a reversal with why a failed attempt failed. */
export type ListedReversal = Static<typeof ReversalListPageSchema>["items"][number];
export type ReversalListQuery = Static<typeof ReversalListQuerySchema>;
export type BulkReviewBody = Static<typeof BulkReviewBodySchema>;
export type BulkReviewAnswer = Static<typeof BulkReviewAnswerSchema>;
/** GET /v1/events/failed and /stuck: `{ events, next }`, where `next` is passed back as `after`. */
export type EventPage = Static<typeof EventPageSchema>;
export type TroubledEventsQuery = Static<typeof FailedEventsQuerySchema>;
export type StuckEventsQuery = Static<typeof StuckEventsQuerySchema>;

export type CreateLotBody = Static<typeof CreateLotBodySchema>;
export type Lot = Static<typeof LotSchema>;
export type LotProof = Static<typeof LotProofSchema>;

export type PaymentBody = Static<typeof PaymentBodySchema>;
export type Payment = Static<typeof PaymentSchema>;

/** POST /v1/account-signers: a signed change of a passkey account's signers, and its receipt. */
export type SignerChangeBody = Static<typeof SignerChangeBodySchema>;
export type SignerChangeReceipt = Static<typeof SignerChangeReceiptSchema>;
/** GET /v1/account-signers?signer=: the accounts a signer signs for. */
export type SignerAccounts = Static<typeof SignerAccountsSchema>;

export type RedemptionBody = Static<typeof RedemptionBodySchema>;
/** GET/POST /v1/redemptions: one redemption, with the deposits that paid it. */
export type Redemption = Static<typeof RedemptionSchema>;
/** A redemption as GET /v1/retailers/me lists it. */
export type RedemptionSummary = Static<typeof RedemptionSummarySchema>;
export type RetailerOverview = Static<typeof RetailerOverviewSchema>;
export type PublicRetailer = Static<typeof PublicRetailerSchema>;

export type DepositBody = Static<typeof DepositBodySchema>;
export type DepositReceipt = Static<typeof DepositReceiptSchema>;
export type FundFlowQuery = Static<typeof FundFlowQuerySchema>;
export type FundFlow = Static<typeof FundFlowSchema>;
/** GET /v1/deposits/:id: a deposit, its withdrawal with notice, the program's notice period, the sponsor's next nonce. */
export type DepositWithdrawal = Static<typeof DepositWithdrawalSchema>;
export type WithdrawalSignatureBody = Static<typeof WithdrawalSignatureBodySchema>;
export type WithdrawalAnnounced = Static<typeof WithdrawalAnnouncedSchema>;
export type WithdrawalCancelled = Static<typeof WithdrawalCancelledSchema>;
export type Withdrawn = Static<typeof WithdrawnSchema>;

// The operator's console: the System and Audit tabs, a member's program roles.
import type { AuditCsvQuery as AuditCsvQuerySchema, AuditEntry as AuditEntrySchema, AuditQuery as AuditQuerySchema } from "../schemas/audit.js";
import type { Revocation as RevocationSchema } from "../schemas/programs.js";
import type { SystemFigures as SystemFiguresSchema } from "../schemas/system.js";

export type SystemFigures = Static<typeof SystemFiguresSchema>;
export type AuditQuery = Static<typeof AuditQuerySchema>;
export type AuditCsvQuery = Static<typeof AuditCsvQuerySchema>;
export type AuditEntry = Static<typeof AuditEntrySchema>;
export type Revocation = Static<typeof RevocationSchema>;
