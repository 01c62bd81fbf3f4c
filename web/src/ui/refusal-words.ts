/**
 * The one map from the API's refusals (a 4xx and its RC_ code) to the person's words, for every face: each code the
 * collector's, the point's, the shop's and the sponsor's screens can meet in a normal flow (test/web/refusals.test.ts
 * finds them from the routes those screens call). A code not here is said with REFUSED_OTHER; the code and the API's
 * own (English) message stay in the details line. It imports nothing, so the test and the services' typecheck read it
 * without the browser's i18n; ui/refusal.ts checks that each key is a message key.
 */
export const REFUSAL_WORDS = {
  // Signing in and who may do what.
  RC_UNAUTHORIZED: "refused.signIn",
  RC_SESSION_EXPIRED: "refused.signIn",
  RC_SESSION_INVALID: "refused.signIn",
  RC_WRONG_ROLE: "refused.role",
  RC_SPONSOR_REQUIRED: "refused.role",
  RC_MEMBER_INACTIVE: "refused.inactive",
  RC_NOT_YOUR_WALLET: "refused.notYours",
  RC_NOT_YOUR_REPORT: "refused.notYours",
  RC_SESSIONS_UNAVAILABLE: "refused.sessionsOff",
  RC_PASSKEY_UNSUPPORTED: "refused.passkey",
  RC_INVALID_SIGNATURE: "refused.signature",
  RC_LOGIN_STALE: "refused.signature",
  RC_RETAILER_WITHOUT_ADDRESS: "refused.noAddress",
  RC_SPONSOR_WITHOUT_ADDRESS: "refused.noAddress",
  // What was typed or scanned.
  RC_VALIDATION: "refused.form",
  RC_INVALID_ADDRESS: "refused.address",
  RC_BAD_CHECKSUM: "refused.address",
  RC_INVALID_AMOUNT: "refused.amount",
  RC_INVALID_RANGE: "refused.range",
  RC_BAD_TIME_ZONE: "refused.timeZone",
  RC_BAD_CURSOR: "refused.reload",
  RC_RATE_LIMITED: "refused.busy",
  // Collectors and drop-offs.
  RC_COLLECTOR_NOT_FOUND: "refused.collector",
  RC_NOT_PROGRAM_ISSUER: "refused.notIssuer",
  RC_PROGRAM_NOT_FOUND: "refused.program",
  RC_PROGRAM_KIND: "refused.programKind",
  RC_EVENT_TYPE_UNKNOWN: "refused.programKind",
  RC_VALUE_REQUIRED: "refused.programKind",
  RC_MATERIAL_NOT_ACCEPTED: "refused.material",
  RC_CREDIT_TOO_LARGE: "refused.tooLarge",
  RC_IDEMPOTENCY_KEY_REUSED: "refused.keyReused",
  RC_INVALID_PHONE: "refused.phone",
  RC_PHONE_NOT_FOUND: "refused.phoneUnknown",
  RC_PHONE_ALREADY_CLAIMED: "refused.phoneClaimed",
  RC_PHONES_UNAVAILABLE: "refused.phonesOff",
  RC_INVALID_COUNTRY: "refused.country",
  // Payments and redemptions.
  RC_AUTHORIZATION_EXPIRED: "refused.paymentExpired",
  RC_AUTHORIZATION_NOT_YET_VALID: "refused.paymentEarly",
  RC_AUTHORIZATION_REPLAYED: "refused.paymentUsed",
  RC_INSUFFICIENT_BALANCE: "refused.balance",
  RC_INSUFFICIENT_DEPOSITS: "refused.deposits",
  RC_PAYEE_NOT_ACCEPTOR: "refused.notAcceptor",
  RC_NOT_ACCEPTOR: "refused.notAcceptor",
  RC_RETAILER_NOT_FOUND: "refused.shopUnknown",
  RC_PAYMENT_NOT_FOUND: "refused.notFound",
  RC_REDEMPTION_NOT_FOUND: "refused.notFound",
  RC_PROGRAM_NOT_REDEEMABLE: "refused.notRedeemable",
  RC_REDEMPTION_IN_PROGRESS: "refused.redeemBusy",
  RC_REDEMPTION_TOO_SMALL: "refused.redeemSmall",
  RC_INVALID_PERMIT: "refused.permit",
  RC_PERMIT_EXPIRED: "refused.permit",
  // Another phone or a recovery phrase added to a passkey wallet.
  RC_SIGNER_MALFORMED: "refused.signerKey",
  RC_COLLECTOR_ACCOUNT_SIGNER_MALFORMED: "refused.signerKey",
  RC_COLLECTOR_ACCOUNT_SIGNER_EXISTS: "refused.signerKnown",
  RC_SIGNATURE_EXPIRED: "refused.signerLate",
  RC_COLLECTOR_ACCOUNT_AUTHORIZATION_EXPIRED: "refused.signerLate",
  RC_ACCOUNT_MISMATCH: "refused.signerChange",
  RC_ACCOUNT_NOT_CREATED: "refused.signerChange",
  RC_SIGNER_UNKNOWN: "refused.signerChange",
  RC_SIGNER_CHANGE_REFUSED: "refused.signerChange",
  RC_SIGNER_CHANGE_REVERTED: "refused.signerChange",
  RC_COLLECTOR_ACCOUNT_UNAUTHORIZED: "refused.signerChange",
  RC_SIGNER_CHANGE_CONFLICT: "refused.signerAgain",
  RC_COLLECTOR_ACCOUNT_INVALID_NONCE: "refused.signerAgain",
  RC_CHAIN_WRITE_PENDING: "refused.pending",
} as const satisfies Record<`RC_${string}`, `refused.${string}`>;

/** Said for a refusal whose code has no words of its own. */
export const REFUSED_OTHER = "refused.other";
