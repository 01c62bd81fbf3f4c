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

  async function call<R>(method: "GET" | "POST", path: string, body?: unknown, per: CallOptions & { accept?: string } = {}): Promise<R> {
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
    grantProgram: (programId: number, memberId: number, o?: CallOptions) =>
      post<T.Grant>(`/v1/programs/${id(programId)}/members`, { memberId }, o),

    registerCollector: (body: T.RegisterBody, o?: CallOptions) => post<T.Collector>("/v1/collectors", body, o),
    collectorLedger: (address: string, o?: CallOptions) => get<T.CollectorLedger>(`/v1/collectors/${id(address)}`, o),
    creditReport: (address: string, o?: CallOptions) => get<T.CreditReport>(`/v1/collectors/${id(address)}/credit`, o),

    recordCollection: (body: T.CollectionBody, o: CallOptions & { idempotencyKey: string }) =>
      post<T.CreditEvent>("/v1/collections", body, o),
    collections: (query: T.CollectionListQuery, o?: CallOptions) => get<T.CreditEvent[]>(withQuery("/v1/collections", query), o),
    collection: (eventId: number, o?: CallOptions) => get<T.CreditEvent>(`/v1/collections/${id(eventId)}`, o),

    createPayment: (body: T.PaymentBody, o?: CallOptions) => post<T.Payment>("/v1/payments", body, o),
    payment: (paymentId: number, o?: CallOptions) => get<T.Payment>(`/v1/payments/${id(paymentId)}`, o),

    retailerOverview: (o?: CallOptions) => get<T.RetailerOverview>("/v1/retailers/me", o),
    permitParams: (programId: number, o?: CallOptions) => get<T.PermitParams>(withQuery("/v1/retailers/me/permit", { programId }), o),
    createRedemption: (body: T.RedemptionBody, o?: CallOptions) => post<T.Redemption>("/v1/redemptions", body, o),
    redemption: (redemptionId: number, o?: CallOptions) => get<T.Redemption>(`/v1/redemptions/${id(redemptionId)}`, o),

    /** Public: the Merkle proof that drop-off `collectionId` is in lot `lotId`, against its certificate. */
    lotProof: (lotId: number | bigint, collectionId: number | bigint, o?: CallOptions) =>
      get<T.LotProof>(`/v1/lots/${id(String(lotId))}/proof/${id(String(collectionId))}`, o),

    createDeposit: (body: T.DepositBody, o?: CallOptions) => post<T.DepositReceipt>("/v1/deposits", body, o),
    fundFlow: (query: T.FundFlowQuery = {}, o?: CallOptions) => get<T.FundFlow>(withQuery("/v1/sponsors/me/fund-flow", query), o),
    /** The same report as CSV, one row per deposit and draw. */
    fundFlowCsv: (query: T.FundFlowQuery = {}, o: CallOptions = {}) =>
      call<string>("GET", withQuery("/v1/sponsors/me/fund-flow", query), undefined, { ...o, accept: "text/csv" }),
  };
}

export type ApiClient = ReturnType<typeof createApiClient>;
