/**
 * The one caller of the recircle API over HTTP, for the web app and the scripts: a typed method per route,
 * answers typed by the TypeBox schemas, every 4xx and 5xx thrown as an ApiError carrying the API's
 * `{error: {code, message}}`. It imports nothing at run time (types only), so the web bundle may use it.
 */
import type * as T from "./types.js";

export type * from "./types.js";

/** A failed call: `status` 0 when no answer came (network down, aborted, timed out); otherwise the API's code. */
export class ApiError extends Error {
  override readonly name = "ApiError";
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    /** "POST /v1/payments": the call that failed, when the client made it. */
    readonly request?: string,
    /** The answer's body as sent (`{error: {...}}` from the API; text or undefined from something else). */
    readonly body?: unknown,
  ) {
    super(message);
  }
}

export interface ApiClientOptions {
  /** Where the API is ("" for the site that served the page). */
  baseUrl: string;
  /** Sent as `Authorization: Bearer`: a member's API key or a collector's session token. */
  apiKey?: string;
  fetch?: typeof fetch;
  /** Gives up on a call after this long (status 0, code RC_TIMEOUT). */
  timeoutMs?: number;
}

export interface CallOptions {
  /** This call's bearer, instead of the client's (`null`: none). */
  apiKey?: string | null;
  /** The same key and body replay the first answer. */
  idempotencyKey?: string;
  signal?: AbortSignal;
}

type Query = Record<string, string | number | undefined>;

const isErrorResponse = (body: unknown): body is T.ErrorResponse =>
  typeof body === "object" && body !== null && typeof (body as { error?: { code?: unknown } }).error?.code === "string";

/** An answer that is not 2xx → the ApiError it stands for. */
export function apiErrorOf(status: number, statusText: string, body: unknown, request?: string): ApiError {
  if (isErrorResponse(body)) return new ApiError(status, body.error.code, body.error.message, request, body);
  const text = typeof body === "string" && body !== "" ? body.slice(0, 200) : statusText;
  return new ApiError(status, `HTTP_${status}`, text || `HTTP ${status}`, request, body);
}

const parse = (text: string): unknown => {
  if (text === "") return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
};

const withQuery = (path: string, query: Query = {}) => {
  const pairs = Object.entries(query).filter((pair): pair is [string, string | number] => pair[1] !== undefined);
  return pairs.length === 0 ? path : `${path}?${new URLSearchParams(pairs.map(([k, v]): [string, string] => [k, String(v)]))}`;
};

export function createApiClient(options: ApiClientOptions) {
  const root = options.baseUrl.replace(/\/+$/, "");
  const send = (options.fetch ?? ((input, init) => fetch(input, init))) as typeof fetch;

  async function call<R>(method: "GET" | "POST" | "PATCH" | "DELETE", path: string, body?: unknown, per: CallOptions & { accept?: string } = {}): Promise<R> {
    const request = `${method} ${path}`;
    const bearer = per.apiKey === undefined ? options.apiKey : per.apiKey;
    const headers: Record<string, string> = { accept: per.accept ?? "application/json" };
    if (body !== undefined) headers["content-type"] = "application/json";
    if (bearer) headers.authorization = `Bearer ${bearer}`;
    if (per.idempotencyKey !== undefined) headers["idempotency-key"] = per.idempotencyKey;
    const timeout = options.timeoutMs === undefined ? undefined : AbortSignal.timeout(options.timeoutMs);
    const signal = timeout && per.signal ? AbortSignal.any([timeout, per.signal]) : (timeout ?? per.signal ?? null);
    let response: Response;
    let text: string;
    try {
      response = await send(`${root}${path}`, { method, headers, body: body === undefined ? null : JSON.stringify(body), signal });
      // Inside the try: an answer cut off mid-body is as lost as one that never came.
      text = await response.text();
    } catch (error) {
      const timedOut = timeout?.aborted === true && !per.signal?.aborted;
      throw new ApiError(0, timedOut ? "RC_TIMEOUT" : "RC_NETWORK", error instanceof Error ? error.message : String(error), request);
    }
    if (!response.ok) throw apiErrorOf(response.status, response.statusText, parse(text), request);
    return (per.accept === undefined ? parse(text) : text) as R;
  }
  const get = <R>(path: string, o?: CallOptions) => call<R>("GET", path, undefined, o);
  const post = <R>(path: string, body: unknown, o?: CallOptions) => call<R>("POST", path, body, o);
  const id = (value: number | string) => encodeURIComponent(String(value));

  return {
    /** The same API with another bearer (or none). */
    as: (apiKey: string | undefined) => createApiClient({ ...options, apiKey }),

    network: (o?: CallOptions) => get<T.NetworkInfo>("/v1/network", o),
    login: (body: T.LoginBody, o?: CallOptions) => post<T.Session>("/v1/auth/collector", body, o),

    me: (o?: CallOptions) => get<T.Me>("/v1/members/me", o),
    createMember: (body: T.CreateMemberBody, o?: CallOptions) => post<T.CreatedMember>("/v1/members", body, o),
    createProgram: (body: T.CreateProgramBody, o?: CallOptions) => post<T.Program>("/v1/programs", body, o),
    /** The operator's console: members a page at a time, and its hold on their keys (admin). */
    members: (query: T.MemberListQuery = {}, o?: CallOptions) => get<T.Page<T.Member>>(withQuery("/v1/members", query), o),
    deactivateMember: (memberId: number, o?: CallOptions) => post<T.Member>(`/v1/members/${id(memberId)}/deactivate`, {}, o),
    reactivateMember: (memberId: number, o?: CallOptions) => post<T.Member>(`/v1/members/${id(memberId)}/reactivate`, {}, o),
    rotateMemberKey: (memberId: number, o?: CallOptions) => post<T.CreatedMember>(`/v1/members/${id(memberId)}/rotate-key`, {}, o),
    /** The console's System and Audit tabs, and a member's program roles: read one with its roles, revoke one. */
    member: (memberId: number, o?: CallOptions) => get<T.Me>(`/v1/members/${id(memberId)}`, o),
    programs: (o?: CallOptions) => get<T.Program[]>("/v1/programs", o),
    revokeProgram: (programId: number, memberId: number, o?: CallOptions) =>
      call<T.Revocation>("DELETE", `/v1/programs/${id(programId)}/members/${id(memberId)}`, undefined, o),
    system: (o?: CallOptions) => get<T.SystemFigures>("/v1/admin/system", o),
    audit: (query: T.AuditQuery = {}, o?: CallOptions) => get<T.Page<T.AuditEntry>>(withQuery("/v1/audit", query), o),
    auditCsv: (query: T.AuditCsvQuery = {}, o: CallOptions = {}) =>
      call<string>("GET", withQuery("/v1/audit.csv", query), undefined, { ...o, accept: "text/csv" }),
    /** Credit events a page at a time (`status: "held"`: the review queue); decide a held one with a reason. */
    events: (query: T.EventListQuery = {}, o?: CallOptions) => get<T.Page<T.CreditEvent>>(withQuery("/v1/events", query), o),
    approveEvent: (eventId: number, reason: string, o?: CallOptions) => post<T.CreditEvent>(`/v1/events/${id(eventId)}/approve`, { reason }, o),
    rejectEvent: (eventId: number, reason: string, o?: CallOptions) => post<T.CreditEvent>(`/v1/events/${id(eventId)}/reject`, { reason }, o),
    /** The Review tab: held events decided in bulk, failed and stuck ones listed and retried, reversals listed. */
    reviewEvents: (body: T.BulkReviewBody, o?: CallOptions) => post<T.BulkReviewAnswer>("/v1/events/review", body, o),
    failedEvents: (query: T.TroubledEventsQuery = {}, o?: CallOptions) => get<T.EventPage>(withQuery("/v1/events/failed", query), o),
    stuckEvents: (query: T.StuckEventsQuery = {}, o?: CallOptions) => get<T.EventPage>(withQuery("/v1/events/stuck", query), o),
    retryEvent: (eventId: number, reason: string, o?: CallOptions) => post<T.CreditEvent>(`/v1/events/${id(eventId)}/retry`, { reason }, o),
    reversals: (query: T.ReversalListQuery = {}, o?: CallOptions) => get<T.Page<T.ListedReversal>>(withQuery("/v1/reversals", query), o),
    lots: (query: T.LotListQuery = {}, o?: CallOptions) => get<T.Page<T.Lot>>(withQuery("/v1/lots", query), o),
    cancelLot: (lotId: number, o?: CallOptions) => post<T.Lot>(`/v1/lots/${id(lotId)}/cancel`, {}, o),
    /** A processor's: the drop-offs a lot may take, a lot of them, its certificate on chain. */
    lotCandidates: (query: T.LotCandidatesQuery, o?: CallOptions) => get<T.LotCandidates>(withQuery("/v1/lots/candidates", query), o),
    createLot: (body: T.CreateLotBody, o?: CallOptions) => post<T.Lot>("/v1/lots", body, o),
    confirmLot: (lotId: number, o?: CallOptions) => post<T.Lot>(`/v1/lots/${id(lotId)}/confirm`, {}, o),
    grantProgram: (programId: number, memberId: number, o?: CallOptions) =>
      post<T.Grant>(`/v1/programs/${id(programId)}/members`, { memberId }, o),
    /** The console's Programs tab: every program, its terms changed for new events (with their history), its token paused. */
    changeProgramTerms: (programId: number, body: T.TermsChangeBody, o?: CallOptions) =>
      call<T.Program>("PATCH", `/v1/programs/${id(programId)}/terms`, body, o),
    programTermsHistory: (programId: number, query: T.TermsHistoryQuery = {}, o?: CallOptions) =>
      get<T.Page<T.TermsChange>>(withQuery(`/v1/programs/${id(programId)}/terms/history`, query), o),
    pauseProgram: (programId: number, o?: CallOptions) => post<T.PauseState>(`/v1/programs/${id(programId)}/pause`, {}, o),
    unpauseProgram: (programId: number, o?: CallOptions) => post<T.PauseState>(`/v1/programs/${id(programId)}/unpause`, {}, o),

    registerCollector: (body: T.RegisterBody, o?: CallOptions) => post<T.Collector>("/v1/collectors", body, o),
    /** A point gives a phone collector a one-time code; with it, the collector claims their escrow to a wallet. */
    issueClaimCode: (body: T.ClaimCodeBody, o?: CallOptions) => post<T.ClaimCode>("/v1/collectors/phone/claim-code", body, o),
    claimPhoneEscrow: (body: T.ClaimBody, o?: CallOptions) => post<T.Claimed>("/v1/claims", body, o),
    collectorLedger: (address: string, o?: CallOptions) => get<T.CollectorLedger>(`/v1/collectors/${id(address)}`, o),
    creditReport: (address: string, o?: CallOptions) => get<T.CreditReport>(`/v1/collectors/${id(address)}/credit`, o),

    recordCollection: (body: T.CollectionBody, o: CallOptions & { idempotencyKey: string }) =>
      post<T.CreditEvent>("/v1/collections", body, o),
    collections: (query: T.CollectionListQuery, o?: CallOptions) => get<T.CreditEvent[]>(withQuery("/v1/collections", query), o),
    /** The point's day screen: today's drop-offs a page at a time, and the day's totals by material. */
    collectionDay: (query: T.CollectionDayQuery, o?: CallOptions) => get<T.CollectionDay>(withQuery("/v1/collections/day", query), o),
    collection: (eventId: number, o?: CallOptions) => get<T.CreditEvent>(`/v1/collections/${id(eventId)}`, o),

    createPayment: (body: T.PaymentBody, o?: CallOptions) => post<T.Payment>("/v1/payments", body, o),
    payment: (paymentId: number, o?: CallOptions) => get<T.Payment>(`/v1/payments/${id(paymentId)}`, o),
    /** A passkey account's signers: relay a signed change (public), and find the accounts a signer signs for. */
    changeAccountSigner: (body: T.SignerChangeBody, o?: CallOptions) => post<T.SignerChangeReceipt>("/v1/account-signers", body, o),
    accountsOfSigner: (signer: string, o?: CallOptions) => get<T.SignerAccounts>(withQuery("/v1/account-signers", { signer }), o),

    /** Public: a shop's display name by its address, shown before a payment is signed. */
    publicRetailer: (address: string, o?: CallOptions) => get<T.PublicRetailer>(`/v1/retailers/${id(address)}`, o),
    retailerOverview: (o?: CallOptions) => get<T.RetailerOverview>("/v1/retailers/me", o),
    permitParams: (programId: number, o?: CallOptions) => get<T.PermitParams>(withQuery("/v1/retailers/me/permit", { programId }), o),
    createRedemption: (body: T.RedemptionBody, o?: CallOptions) => post<T.Redemption>("/v1/redemptions", body, o),
    redemption: (redemptionId: number, o?: CallOptions) => get<T.Redemption>(`/v1/redemptions/${id(redemptionId)}`, o),

    /** Public: the Merkle proof that drop-off `collectionId` is in lot `lotId`, against its certificate. */
    lotProof: (lotId: number | bigint, collectionId: number | bigint, o?: CallOptions) =>
      get<T.LotProof>(`/v1/lots/${id(String(lotId))}/proof/${id(String(collectionId))}`, o),

    createDeposit: (body: T.DepositBody, o?: CallOptions) => post<T.DepositReceipt>("/v1/deposits", body, o),
    /** A deposit with its withdrawal with notice, the program's notice period and the sponsor's next vault nonce. */
    deposit: (depositId: number, o?: CallOptions) => get<T.DepositWithdrawal>(`/v1/deposits/${id(depositId)}`, o),
    announceWithdrawal: (depositId: number, body: T.WithdrawalSignatureBody, o?: CallOptions) =>
      post<T.WithdrawalAnnounced>(`/v1/deposits/${id(depositId)}/withdrawal`, body, o),
    cancelWithdrawal: (depositId: number, body: T.WithdrawalSignatureBody, o?: CallOptions) =>
      post<T.WithdrawalCancelled>(`/v1/deposits/${id(depositId)}/withdrawal/cancel`, body, o),
    withdraw: (depositId: number, o?: CallOptions) => post<T.Withdrawn>(`/v1/deposits/${id(depositId)}/withdraw`, {}, o),
    fundFlow: (query: T.FundFlowQuery = {}, o?: CallOptions) => get<T.FundFlow>(withQuery("/v1/sponsors/me/fund-flow", query), o),
    /** The same report as CSV, one row per deposit and draw. */
    fundFlowCsv: (query: T.FundFlowQuery = {}, o: CallOptions = {}) =>
      call<string>("GET", withQuery("/v1/sponsors/me/fund-flow", query), undefined, { ...o, accept: "text/csv" }),
  };
}

export type ApiClient = ReturnType<typeof createApiClient>;
