/**
 * The API's rate limits for the load harnesses (bench, chaos): they send thousands of requests a minute from
 * one address and one key on purpose, to measure the services and break them, not to meet the limiter. Every
 * API they start, in process or as a child, gets these explicitly; the limits themselves are tested in
 * test/services/api/rate-limits.test.ts with the defaults a deployment gets.
 */
export const LOAD_RATE_LIMITS: Record<string, string> = {
  RATE_LIMIT_PER_IP: "100000000",
  RATE_LIMIT_PER_KEY: "100000000",
  RATE_LIMIT_LOGINS_PER_IP: "100000000",
  RATE_LIMIT_PAYMENTS_PER_IP: "100000000",
};

/**
 * The fuzz's: it sends wrong keys, sign-ins and claims by the thousand from one address on purpose, to hold
 * every answer to the RC shape and nothing written. Meeting the limiter would fuzz the 429 alone.
 */
export const FUZZ_RATE_LIMITS: Record<string, string> = {
  ...LOAD_RATE_LIMITS,
  RATE_LIMIT_AUTH_FAILURES_PER_IP: "100000000",
  RATE_LIMIT_CLAIMS_PER_IP: "100000000",
  RATE_LIMIT_CLAIMS_PER_PHONE: "100000000",
};
