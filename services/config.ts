/**
 * The one place that reads process.env. Every variable is parsed and checked at start; all problems are
 * reported together and the process stops, so a bad deployment fails loudly before it serves anything.
 */
import { isHexString } from "ethers";
import { gweiToWei } from "./core/fees.js";
import { DEFAULT_LOG_RANGE } from "./core/block-windows.js";

export interface Config {
  host: string;
  port: number;
  logLevel: "fatal" | "error" | "warn" | "info" | "debug" | "trace" | "silent";
  /** `pretty`: one readable line per record (`time LEVEL [name] msg key=value`); `json`: pino's JSON lines, for machines. */
  logFormat: "pretty" | "json";
  /** The `name` field of this process's log records; unset, the entry names itself (api, payments, indexer, ...). */
  logName: string | undefined;
  /** Whether the API process runs the mint batcher; `npm start -- --api N` turns it off in API processes 2..N. */
  databaseUrl: string;
  databasePoolSize: number;
  /** Drop-offs and loyalty events that arrive together share one transaction, up to this many; 1: each its own. */
  acceptGroupMax: number;
  redisUrl: string;
  /** Prefix of every Redis key this deployment writes (BullMQ queues included). */
  redisPrefix: string;
  /** The preferred (first) RPC URL. Unset: `npm start` runs a Hardhat node on 127.0.0.1:8545 and uses it. */
  chainRpcUrl: string | undefined;
  /**
   * Every RPC URL, preferred first, all of one chain: CHAIN_RPC_URLS, or CHAIN_RPC_URL alone; the services fail
   * over between them. Empty when neither is set.
   */
  chainRpcUrls: string[];
  /** The key that mints and creates programs; defaults to Hardhat's dev account #1 on the dev chain only. */
  operatorPrivateKey: string | undefined;
  /** Bootstrap admin key; unset, one is generated at first start and kept in `stateDir`. */
  adminApiKey: string | undefined;
  /** HMAC key of collectors' session tokens; unset, `npm start` generates one and keeps it in `stateDir`. */
  sessionSecret: string | undefined;
  /**
   * Key of the salted hash that phone-only collectors' credits are escrowed under (services/core/phone.ts);
   * unset, `npm start` generates one and keeps it in `stateDir`. Changing it orphans every escrow.
   */
  phoneSalt: string | undefined;
  addressBookPath: string;
  stateDir: string;
  batchMax: number;
  batchMs: number;
  /** An event pending or submitted this long (minutes, by its last change) is `stuck`: admins list and may reject it. */
  stuckEventMinutes: number;
  /** How long an Idempotency-Key's answer is kept for replay (hours); then the operator process purges it. */
  idempotencyKeyTtlHours: number;
  /** How long an API request waits for the operator's sender to settle the chain write it recorded. */
  chainWriteWaitMs: number;
  /** Blocks below the head the indexer leaves unread, so a shallow reorg never reaches chain_events. */
  chainConfirmations: number;
  /** Blocks one eth_getLogs may span when a flow looks a log up (providers refuse wider ranges): CHAIN_LOG_RANGE. */
  chainLogRange: number;
  /**
   * The keys the payment and the redemption workers relay with (gas only: the signatures are the
   * authority). One key per process: two processes sending with one key would collide on nonces.
   */
  paymentWorkerPrivateKey: string | undefined;
  redemptionWorkerPrivateKey: string | undefined;
  /**
   * Comma-separated keys for `npm start -- --workers M` on a chain other than the dev chain: one per payment
   * or redemption worker (M each).
   */
  paymentWorkerPrivateKeys: string[];
  redemptionWorkerPrivateKeys: string[];
  /** Payments per relayed batch (the payment worker's concurrency is twice this), and the longest wait to fill one. */
  paymentBatchMax: number;
  paymentBatchMs: number;
  /** Redemptions per redeemWithPermitBatch (the redemption worker's concurrency is twice this), and the longest wait to fill one. */
  redemptionBatchMax: number;
  redemptionBatchMs: number;
  /** How long a worker holds a job before BullMQ deems it stalled and hands it to another worker. */
  jobLockMs: number;
  /**
   * The JSON-RPC URL the web app's pages read the chain from (a sponsor re-checks its report there, without
   * us); unset, CHAIN_RPC_URL, or the embedded chain's. Browsers must reach it and it must allow CORS.
   */
  publicChainRpcUrl: string;
  /** A block explorer's base URL (`<url>/tx/<hash>` opens a transaction); unset, pages show hashes only. */
  publicExplorerUrl: string | undefined;
  /** The built web app (`vite build` writes web/dist) the API serves at `/`; absent, the API serves no pages. */
  webDist: string;
  /**
   * The most any transaction of ours may offer per gas (wei; MAX_FEE_PER_GAS_GWEI). Above it a sender waits
   * instead of sending or replacing. Unset: no ceiling beyond the market's price (2 × base fee + tip).
   */
  maxFeePerGas: bigint | undefined;
  /** How long a transaction may sit unmined before it is replaced at higher fees, or sent again if the node lost it. */
  txReplaceAfterMs: number;
  /** Below what this many more transactions would cost at current fees, a signer's balance is reported low. */
  signerLowBalanceTxs: number;
  /** A worker process's own /metrics port on 127.0.0.1 (0: any free port); unset, it serves none. */
  metricsPort: number | undefined;
  /** When set, the API's /metrics answers only `Authorization: Bearer <token>` (401 otherwise). */
  metricsToken: string | undefined;
  /** Requests per minute the API allows, counted in Redis so every API process shares them (services/api/plugins/rate-limits.ts). */
  rateLimits: RateLimits;
  /** Where webhooks may deliver (services/core/webhook-address.ts), and how many subscriptions a member may hold. */
  webhooks: { allowHttp: boolean; allowLoopback: boolean; maxPerMember: number };
}

/** Per minute, except `claimsPerPhone` (per hour). */
export interface RateLimits {
  /** Every request from one client address. */
  perIp: number;
  /** Every request carrying one API key or session token. */
  perKey: number;
  /** Requests from one address with an API key or session token refused (401): past it, that address's credentials are not even looked up. */
  authFailuresPerIp: number;
  /** `POST /v1/auth/collector` from one address. */
  loginsPerIp: number;
  /** `POST /v1/claims` from one address, and for one phone number per hour (besides the code's own five tries). */
  claimsPerIp: number;
  claimsPerPhone: number;
  /** `POST /v1/payments` from one address. */
  paymentsPerIp: number;
}

export const EMBEDDED_CHAIN_URL = "http://127.0.0.1:8545";
/**
 * The most events one mint claim may take. The batcher cuts each batch by gas under the osaka cap (2^24) before
 * this: ~1,370 credits to distinct holders fit, ~560 to fresh ones, ~320 whose ids each open a bitmap word
 * (core/mint-gas, DESIGN.md §6).
 */
export const MAX_BATCH = 1_500;
/**
 * The default: on the dev node, side by side on a busy two-core machine, batches of 500 credited 1.3 to 2.8
 * times as many events/s as batches of 1,500, for ~10.4k gas per event against ~8.5k.
 */
export const DEFAULT_BATCH = 500;
/** A payer's first relayed payment costs ~41k gas: 300 of them stay well under the cap. */
export const MAX_PAYMENT_BATCH = 300;
/** A relayed redemption costs ~91k gas in a batch (~170k alone), more when it crosses deposits: 100 stay under the cap. */
export const MAX_REDEMPTION_BATCH = 100;

const LOG_LEVELS = ["fatal", "error", "warn", "info", "debug", "trace", "silent"] as const;

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`invalid configuration:\n  - ${problems.join("\n  - ")}`);
  }
}

/** Parses `env` (process.env by default) into a Config, or throws a ConfigError listing every problem. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const problems: string[] = [];
  const read = (name: string) => {
    const value = env[name]?.trim();
    return value === "" ? undefined : value;
  };
  const integer = (name: string, fallback: number, min: number, max: number) => {
    const raw = read(name);
    if (raw === undefined) return fallback;
    const value = Number(raw);
    if (!/^\d+$/.test(raw) || value < min || value > max) {
      problems.push(`${name} must be an integer from ${min} to ${max} (got "${raw}")`);
      return fallback;
    }
    return value;
  };
  const url = (name: string, fallback: string | undefined, protocols: string[]) => {
    const raw = read(name) ?? fallback;
    if (raw === undefined) return undefined;
    try {
      const parsed = new URL(raw);
      if (!protocols.includes(parsed.protocol)) throw new Error();
    } catch {
      problems.push(`${name} must be a URL with scheme ${protocols.join(" or ")} (got "${raw}")`);
    }
    return raw;
  };

  const logLevel = read("LOG_LEVEL") ?? "info";
  if (!(LOG_LEVELS as readonly string[]).includes(logLevel)) {
    problems.push(`LOG_LEVEL must be one of ${LOG_LEVELS.join(", ")} (got "${logLevel}")`);
  }
  const logFormat = read("LOG_FORMAT") ?? "pretty";
  if (logFormat !== "pretty" && logFormat !== "json") problems.push(`LOG_FORMAT must be pretty or json (got "${logFormat}")`);
  const operatorPrivateKey = read("OPERATOR_PRIVATE_KEY");
  if (operatorPrivateKey !== undefined && !isHexString(operatorPrivateKey, 32)) {
    problems.push("OPERATOR_PRIVATE_KEY must be a 0x-prefixed 32-byte hex key");
  }
  const key = (name: string) => {
    const value = read(name);
    if (value !== undefined && !isHexString(value, 32)) problems.push(`${name} must be a 0x-prefixed 32-byte hex key`);
    return value;
  };
  const paymentWorkerPrivateKey = key("PAYMENT_WORKER_PRIVATE_KEY");
  const redemptionWorkerPrivateKey = key("REDEMPTION_WORKER_PRIVATE_KEY");
  if (paymentWorkerPrivateKey !== undefined && paymentWorkerPrivateKey === redemptionWorkerPrivateKey) {
    problems.push("PAYMENT_WORKER_PRIVATE_KEY and REDEMPTION_WORKER_PRIVATE_KEY must differ (one nonce sequence each)");
  }
  const keyList = (name: string) => {
    const keys = (read(name) ?? "").split(",").map((key) => key.trim()).filter((key) => key !== "");
    if (keys.some((key) => !isHexString(key, 32))) problems.push(`${name} must list 0x-prefixed 32-byte hex keys, comma-separated`);
    if (new Set(keys.map((key) => key.toLowerCase())).size !== keys.length) problems.push(`${name} lists a key twice (one key per process)`);
    return keys;
  };
  const paymentWorkerPrivateKeys = keyList("PAYMENT_WORKER_PRIVATE_KEYS");
  const redemptionWorkerPrivateKeys = keyList("REDEMPTION_WORKER_PRIVATE_KEYS");
  const adminApiKey = read("ADMIN_API_KEY");
  if (adminApiKey !== undefined && adminApiKey.length < 24) {
    problems.push("ADMIN_API_KEY must be at least 24 characters");
  }
  const sessionSecret = read("SESSION_SECRET");
  // 32 characters of a random base64 or hex string carry at least 128 bits: HMAC-SHA256 wants no less.
  if (sessionSecret !== undefined && sessionSecret.length < 32) {
    problems.push("SESSION_SECRET must be at least 32 characters");
  }
  const phoneSalt = read("PHONE_SALT");
  if (phoneSalt !== undefined && phoneSalt.length < 32) problems.push("PHONE_SALT must be at least 32 characters");
  const maxFeeGwei = read("MAX_FEE_PER_GAS_GWEI");
  const maxFeePerGas = maxFeeGwei === undefined ? undefined : gweiToWei(maxFeeGwei);
  if (maxFeeGwei !== undefined && (maxFeePerGas === undefined || maxFeePerGas === 0n)) {
    problems.push(`MAX_FEE_PER_GAS_GWEI must be a positive number of gwei, at most 9 decimals (got "${maxFeeGwei}")`);
  }
  const flag = (name: string, fallback: boolean) => {
    const raw = read(name);
    if (raw === undefined) return fallback;
    if (raw !== "true" && raw !== "false") problems.push(`${name} must be true or false (got "${raw}")`);
    return raw === "true";
  };
  const metricsToken = read("METRICS_TOKEN");
  if (metricsToken !== undefined && metricsToken.length < 16) problems.push("METRICS_TOKEN must be at least 16 characters");
  const chainRpcUrls = rpcUrls(read("CHAIN_RPC_URL"), read("CHAIN_RPC_URLS"), problems);
  const chainRpcUrl = chainRpcUrls[0];
  if (chainRpcUrl !== undefined && operatorPrivateKey === undefined) {
    problems.push(`OPERATOR_PRIVATE_KEY is required when ${read("CHAIN_RPC_URLS") ? "CHAIN_RPC_URLS" : "CHAIN_RPC_URL"} names a chain`);
  }

  const config: Config = {
    host: read("HOST") ?? "127.0.0.1",
    port: integer("PORT", 3000, 0, 65_535),
    logLevel: logLevel as Config["logLevel"],
    logFormat: logFormat as Config["logFormat"],
    logName: read("LOG_NAME"),
    databaseUrl: url("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/recircle", ["postgres:", "postgresql:"])!,
    databasePoolSize: integer("DATABASE_POOL_SIZE", 10, 1, 500),
    acceptGroupMax: integer("ACCEPT_GROUP_MAX", 64, 1, 1_000),
    redisUrl: url("REDIS_URL", "redis://127.0.0.1:6379", ["redis:", "rediss:"])!,
    redisPrefix: read("REDIS_PREFIX") ?? "recircle",
    chainRpcUrl,
    chainRpcUrls,
    operatorPrivateKey,
    adminApiKey,
    sessionSecret,
    phoneSalt,
    addressBookPath: addressBookPath(env),
    stateDir: read("STATE_DIR") ?? new URL("../.recircle", import.meta.url).pathname,
    batchMax: integer("BATCH_MAX", DEFAULT_BATCH, 1, MAX_BATCH),
    batchMs: integer("BATCH_MS", 200, 1, 60_000),
    stuckEventMinutes: integer("STUCK_EVENT_MINUTES", 10, 1, 10_080),
    idempotencyKeyTtlHours: integer("IDEMPOTENCY_KEY_TTL_HOURS", 168, 1, 87_600),
    chainConfirmations: integer("CHAIN_CONFIRMATIONS", 1, 0, 1_000),
    chainWriteWaitMs: integer("CHAIN_WRITE_WAIT_MS", 60_000, 100, 600_000),
    chainLogRange: integer("CHAIN_LOG_RANGE", DEFAULT_LOG_RANGE, 1, 1_000_000),
    paymentWorkerPrivateKey,
    redemptionWorkerPrivateKey,
    paymentWorkerPrivateKeys,
    redemptionWorkerPrivateKeys,
    paymentBatchMax: integer("PAYMENT_BATCH_MAX", 200, 1, MAX_PAYMENT_BATCH),
    paymentBatchMs: integer("PAYMENT_BATCH_MS", 200, 1, 60_000),
    redemptionBatchMax: integer("REDEMPTION_BATCH_MAX", 50, 1, MAX_REDEMPTION_BATCH),
    redemptionBatchMs: integer("REDEMPTION_BATCH_MS", 200, 1, 60_000),
    jobLockMs: integer("JOB_LOCK_MS", 30_000, 1_000, 600_000),
    publicChainRpcUrl: url("PUBLIC_CHAIN_RPC_URL", undefined, ["http:", "https:", "ws:", "wss:"]) ?? chainRpcUrl ?? EMBEDDED_CHAIN_URL,
    publicExplorerUrl: url("PUBLIC_EXPLORER_URL", undefined, ["http:", "https:"])?.replace(/\/+$/, ""),
    webDist: read("WEB_DIST") ?? new URL("../web/dist", import.meta.url).pathname,
    maxFeePerGas,
    txReplaceAfterMs: integer("TX_REPLACE_AFTER_MS", 30_000, 1_000, 3_600_000),
    signerLowBalanceTxs: integer("SIGNER_LOW_BALANCE_TXS", 50, 1, 1_000_000),
    metricsPort: read("METRICS_PORT") === undefined ? undefined : integer("METRICS_PORT", 0, 0, 65_535),
    metricsToken,
    rateLimits: {
      perIp: integer("RATE_LIMIT_PER_IP", 3_000, 1, 100_000_000),
      perKey: integer("RATE_LIMIT_PER_KEY", 3_000, 1, 100_000_000),
      authFailuresPerIp: integer("RATE_LIMIT_AUTH_FAILURES_PER_IP", 30, 1, 100_000_000),
      loginsPerIp: integer("RATE_LIMIT_LOGINS_PER_IP", 30, 1, 100_000_000),
      claimsPerIp: integer("RATE_LIMIT_CLAIMS_PER_IP", 30, 1, 100_000_000),
      claimsPerPhone: integer("RATE_LIMIT_CLAIMS_PER_PHONE", 10, 1, 100_000_000),
      paymentsPerIp: integer("RATE_LIMIT_PAYMENTS_PER_IP", 300, 1, 100_000_000),
    },
    webhooks: {
      allowHttp: flag("WEBHOOK_ALLOW_HTTP", false),
      allowLoopback: flag("WEBHOOK_ALLOW_LOOPBACK", false),
      maxPerMember: integer("WEBHOOK_MAX_PER_MEMBER", 10, 1, 1_000),
    },
  };
  if (problems.length > 0) throw new ConfigError(problems);
  return config;
}

const RPC_PROTOCOLS = ["http:", "https:", "ws:", "wss:"];

/**
 * CHAIN_RPC_URL (one URL) or CHAIN_RPC_URLS (several, comma-separated, preferred first), never both: which
 * one would win is a guess nobody should have to make. Each must be http(s) or ws(s), none twice.
 */
function rpcUrls(single: string | undefined, list: string | undefined, problems: string[]): string[] {
  if (single !== undefined && list !== undefined) {
    problems.push("set CHAIN_RPC_URL (one URL) or CHAIN_RPC_URLS (several), not both");
    return [];
  }
  const name = list !== undefined ? "CHAIN_RPC_URLS" : "CHAIN_RPC_URL";
  const urls = list !== undefined ? list.split(",").map((url) => url.trim()).filter((url) => url !== "") : single !== undefined ? [single] : [];
  const seen = new Set<string>();
  for (const url of urls) {
    let parsed: URL;
    try {
      parsed = new URL(url);
      if (!RPC_PROTOCOLS.includes(parsed.protocol)) throw new Error();
    } catch {
      problems.push(`${name} must ${list !== undefined ? "list URLs" : "be a URL"} with scheme ${RPC_PROTOCOLS.join(" or ")} (got "${url}")`);
      continue;
    }
    if (seen.has(parsed.href)) problems.push(`CHAIN_RPC_URLS lists ${parsed.origin} twice (each endpoint once)`);
    seen.add(parsed.href);
  }
  if (list !== undefined && urls.length === 0) problems.push("CHAIN_RPC_URLS must list at least one URL");
  return urls;
}

/** Where the address book is; the deploy script, run by Hardhat, needs this and nothing else. */
export function addressBookPath(env: NodeJS.ProcessEnv = process.env): string {
  return env.ADDRESS_BOOK?.trim() || new URL("../deployments/addresses.json", import.meta.url).pathname;
}
