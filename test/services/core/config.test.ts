import { describe, expect, it } from "vitest";
import { ConfigError, EMBEDDED_CHAIN_URL, MAX_BATCH, loadConfig } from "../../../services/config.js";

// Hardhat's well-known dev account #1: public test data, not a secret.
const DEV_KEY = "0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d";

/** The ConfigError `env` produces, failing the test if it loads. */
function problemsOf(env: NodeJS.ProcessEnv): string[] {
  try {
    loadConfig(env);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as ConfigError).problems;
  }
  throw new Error("expected a ConfigError, the configuration loaded");
}

describe("loadConfig", () => {
  it("falls back to local development defaults for an empty environment", () => {
    const config = loadConfig({});
    expect(config).toMatchObject({
      host: "127.0.0.1",
      port: 3000,
      logLevel: "info",
      logFormat: "pretty",
      databaseUrl: "postgres://postgres@127.0.0.1:5432/recircle",
      databasePoolSize: 10,
      redisUrl: "redis://127.0.0.1:6379",
      redisPrefix: "recircle",
      batchMax: 500,
      batchMs: 200,
      stuckEventMinutes: 10,
    });
    expect(config.chainRpcUrl).toBeUndefined();
    expect(config.chainRpcUrls).toEqual([]);
    expect(config.operatorPrivateKey).toBeUndefined();
    expect(config.adminApiKey).toBeUndefined();
    expect(config.stateDir).toMatch(/\.recircle$/);
    expect(config.addressBookPath).toMatch(/deployments\/addresses\.json$/);
    expect(MAX_BATCH).toBe(1_500);
  });

  it("treats blank variables as unset", () => {
    const config = loadConfig({ PORT: "  ", HOST: "", CHAIN_RPC_URL: " ", OPERATOR_PRIVATE_KEY: "" });
    expect(config.port).toBe(3000);
    expect(config.host).toBe("127.0.0.1");
    expect(config.chainRpcUrl).toBeUndefined();
    expect(config.operatorPrivateKey).toBeUndefined();
  });

  it("parses a valid full configuration", () => {
    const config = loadConfig({
      HOST: "0.0.0.0",
      PORT: " 8080 ",
      LOG_LEVEL: "debug",
      LOG_FORMAT: "json",
      LOG_NAME: "api-2",
      DATABASE_URL: "postgresql://app:secret@db:5432/recircle",
      DATABASE_POOL_SIZE: "20",
      ACCEPT_GROUP_MAX: "16",
      REDIS_URL: "rediss://cache:6380",
      REDIS_PREFIX: "staging",
      CHAIN_RPC_URL: "https://rpc.example.org",
      OPERATOR_PRIVATE_KEY: DEV_KEY,
      ADMIN_API_KEY: "a".repeat(24),
      SESSION_SECRET: "s".repeat(32),
      PHONE_SALT: "p".repeat(32),
      ADDRESS_BOOK: "/etc/recircle/addresses.json",
      STATE_DIR: "/var/lib/recircle",
      BATCH_MAX: "1",
      BATCH_MS: "60000",
      STUCK_EVENT_MINUTES: "30",
      CHAIN_CONFIRMATIONS: "12",
      CHAIN_WRITE_WAIT_MS: "30000",
      CHAIN_LOG_RANGE: "2000",
      PAYMENT_WORKER_PRIVATE_KEY: DEV_KEY,
      REDEMPTION_WORKER_PRIVATE_KEY: `0x${"22".repeat(32)}`,
      PAYMENT_BATCH_MAX: "300",
      PAYMENT_BATCH_MS: "25",
      REDEMPTION_BATCH_MAX: "100",
      REDEMPTION_BATCH_MS: "30",
      JOB_LOCK_MS: "1000",
      METRICS_PORT: "9464",
      MAX_FEE_PER_GAS_GWEI: "2.5",
      TX_REPLACE_AFTER_MS: "45000",
      SIGNER_LOW_BALANCE_TXS: "100",
      PUBLIC_CHAIN_RPC_URL: "https://rpc.public.example.org",
      WEB_DIST: "/srv/recircle/web",
      PUBLIC_EXPLORER_URL: "https://explorer.example.org/",
      METRICS_TOKEN: "m".repeat(16),
      RATE_LIMIT_PER_IP: "100",
      RATE_LIMIT_PER_KEY: "200",
      RATE_LIMIT_AUTH_FAILURES_PER_IP: "5",
      RATE_LIMIT_LOGINS_PER_IP: "6",
      RATE_LIMIT_CLAIMS_PER_IP: "7",
      RATE_LIMIT_CLAIMS_PER_PHONE: "3",
      RATE_LIMIT_PAYMENTS_PER_IP: "50",
      WEBHOOK_ALLOW_HTTP: "true",
      WEBHOOK_ALLOW_LOOPBACK: "false",
      WEBHOOK_MAX_PER_MEMBER: "25",
    });
    expect(config).toEqual({
      host: "0.0.0.0",
      port: 8080,
      logLevel: "debug",
      logFormat: "json",
      logName: "api-2",
      databaseUrl: "postgresql://app:secret@db:5432/recircle",
      databasePoolSize: 20,
      acceptGroupMax: 16,
      redisUrl: "rediss://cache:6380",
      redisPrefix: "staging",
      chainRpcUrl: "https://rpc.example.org",
      chainRpcUrls: ["https://rpc.example.org"],
      operatorPrivateKey: DEV_KEY,
      adminApiKey: "a".repeat(24),
      sessionSecret: "s".repeat(32),
      phoneSalt: "p".repeat(32),
      addressBookPath: "/etc/recircle/addresses.json",
      stateDir: "/var/lib/recircle",
      batchMax: 1,
      batchMs: 60_000,
      stuckEventMinutes: 30,
      idempotencyKeyTtlHours: 168,
      chainConfirmations: 12,
      chainWriteWaitMs: 30_000,
      chainLogRange: 2_000,
      paymentWorkerPrivateKey: DEV_KEY,
      redemptionWorkerPrivateKey: `0x${"22".repeat(32)}`,
      paymentWorkerPrivateKeys: [],
      redemptionWorkerPrivateKeys: [],
      paymentBatchMax: 300,
      paymentBatchMs: 25,
      redemptionBatchMax: 100,
      redemptionBatchMs: 30,
      jobLockMs: 1_000,
      metricsPort: 9464,
      maxFeePerGas: 2_500_000_000n,
      txReplaceAfterMs: 45_000,
      signerLowBalanceTxs: 100,
      publicChainRpcUrl: "https://rpc.public.example.org",
      webDist: "/srv/recircle/web",
      publicExplorerUrl: "https://explorer.example.org",
      metricsToken: "m".repeat(16),
      rateLimits: { perIp: 100, perKey: 200, authFailuresPerIp: 5, loginsPerIp: 6, claimsPerIp: 7, claimsPerPhone: 3, paymentsPerIp: 50 },
      webhooks: { allowHttp: true, allowLoopback: false, maxPerMember: 25 },
    });
  });

  it("keeps webhooks to public https and /metrics open by default, and refuses a short metrics token, a bad flag and a zero limit", () => {
    const config = loadConfig({});
    expect(config.webhooks).toEqual({ allowHttp: false, allowLoopback: false, maxPerMember: 10 });
    expect(config.metricsToken).toBeUndefined();
    expect(problemsOf({ METRICS_TOKEN: "short", WEBHOOK_ALLOW_LOOPBACK: "yes", RATE_LIMIT_PER_IP: "0" })).toEqual([
      "METRICS_TOKEN must be at least 16 characters",
      'RATE_LIMIT_PER_IP must be an integer from 1 to 100000000 (got "0")',
      'WEBHOOK_ALLOW_LOOPBACK must be true or false (got "yes")',
    ]);
  });

  it("accepts the embedded chain URL and the batch and port bounds", () => {
    const config = loadConfig({ CHAIN_RPC_URL: EMBEDDED_CHAIN_URL, OPERATOR_PRIVATE_KEY: DEV_KEY, PORT: "0", BATCH_MAX: "500" });
    expect(config).toMatchObject({ chainRpcUrl: EMBEDDED_CHAIN_URL, port: 0, batchMax: 500 });
    expect(loadConfig({ PORT: "65535" }).port).toBe(65_535);
  });

  it.each(["abc", "-1", "3.5", "65536", "1e3", "0x50"])("rejects PORT=%j", (port) => {
    expect(problemsOf({ PORT: port })).toEqual([`PORT must be an integer from 0 to 65535 (got "${port}")`]);
  });

  it.each(["0", "1501"])("rejects BATCH_MAX=%j outside 1 to 1500", (batchMax) => {
    expect(problemsOf({ BATCH_MAX: batchMax })).toEqual([
      `BATCH_MAX must be an integer from 1 to 1500 (got "${batchMax}")`,
    ]);
  });

  it("keeps idempotency keys 168 hours (7 days) by default, and refuses a TTL outside 1 hour to 10 years", () => {
    expect(loadConfig({}).idempotencyKeyTtlHours).toBe(168);
    expect(loadConfig({ IDEMPOTENCY_KEY_TTL_HOURS: "24" }).idempotencyKeyTtlHours).toBe(24);
    expect(problemsOf({ IDEMPOTENCY_KEY_TTL_HOURS: "0" })).toEqual(['IDEMPOTENCY_KEY_TTL_HOURS must be an integer from 1 to 87600 (got "0")']);
  });

  it("waits a minute for the operator's writes by default, and refuses a wait outside 100 ms to 10 minutes", () => {
    expect(loadConfig({}).chainWriteWaitMs).toBe(60_000);
    expect(problemsOf({ CHAIN_WRITE_WAIT_MS: "50" })).toEqual(['CHAIN_WRITE_WAIT_MS must be an integer from 100 to 600000 (got "50")']);
  });

  it("reads logs in windows of 10,000 blocks by default, and refuses a window outside 1 to 1,000,000 blocks", () => {
    expect(loadConfig({}).chainLogRange).toBe(10_000);
    expect(problemsOf({ CHAIN_LOG_RANGE: "0" })).toEqual(['CHAIN_LOG_RANGE must be an integer from 1 to 1000000 (got "0")']);
    expect(problemsOf({ CHAIN_LOG_RANGE: "1000001" })).toEqual(['CHAIN_LOG_RANGE must be an integer from 1 to 1000000 (got "1000001")']);
  });

  it.each(["-1", "1001", "2.5"])("rejects CHAIN_CONFIRMATIONS=%j outside 0 to 1000", (depth) => {
    expect(problemsOf({ CHAIN_CONFIRMATIONS: depth })).toEqual([
      `CHAIN_CONFIRMATIONS must be an integer from 0 to 1000 (got "${depth}")`,
    ]);
  });

  it("serves a worker's metrics only when METRICS_PORT is set, on any port from 0 to 65535", () => {
    expect(loadConfig({}).metricsPort).toBeUndefined();
    expect(loadConfig({ METRICS_PORT: " " }).metricsPort).toBeUndefined();
    expect(loadConfig({ METRICS_PORT: "0" }).metricsPort).toBe(0);
    expect(loadConfig({ METRICS_PORT: "9464" }).metricsPort).toBe(9464);
    expect(problemsOf({ METRICS_PORT: "65536" })).toEqual(['METRICS_PORT must be an integer from 0 to 65535 (got "65536")']);
  });

  it("sets no fee ceiling by default, reads MAX_FEE_PER_GAS_GWEI in gwei, and refuses anything but a positive amount", () => {
    expect(loadConfig({}).maxFeePerGas).toBeUndefined();
    expect(loadConfig({ MAX_FEE_PER_GAS_GWEI: "50" }).maxFeePerGas).toBe(50_000_000_000n);
    expect(loadConfig({ MAX_FEE_PER_GAS_GWEI: "0.01" }).maxFeePerGas).toBe(10_000_000n);
    for (const bad of ["0", "-5", "1e3", "0.0000000001", "lots"]) {
      expect(problemsOf({ MAX_FEE_PER_GAS_GWEI: bad })).toEqual([
        `MAX_FEE_PER_GAS_GWEI must be a positive number of gwei, at most 9 decimals (got "${bad}")`,
      ]);
    }
  });

  it("replaces an unmined transaction after 30 s by default and reports a balance low under 50 transactions", () => {
    const config = loadConfig({});
    expect(config.txReplaceAfterMs).toBe(30_000);
    expect(config.signerLowBalanceTxs).toBe(50);
    expect(loadConfig({ TX_REPLACE_AFTER_MS: "5000", SIGNER_LOW_BALANCE_TXS: "200" })).toMatchObject({ txReplaceAfterMs: 5_000, signerLowBalanceTxs: 200 });
    expect(problemsOf({ TX_REPLACE_AFTER_MS: "999", SIGNER_LOW_BALANCE_TXS: "0" })).toEqual([
      'TX_REPLACE_AFTER_MS must be an integer from 1000 to 3600000 (got "999")',
      'SIGNER_LOW_BALANCE_TXS must be an integer from 1 to 1000000 (got "0")',
    ]);
  });

  it("rejects an unknown LOG_FORMAT", () => {
    expect(problemsOf({ LOG_FORMAT: "xml" })).toEqual(['LOG_FORMAT must be pretty or json (got "xml")']);
  });

  it("rejects an unknown LOG_LEVEL", () => {
    expect(problemsOf({ LOG_LEVEL: "verbose" })).toEqual([expect.stringContaining("LOG_LEVEL")]);
  });

  it.each(["mysql://db/recircle", "not a url", "redis://127.0.0.1:6379"])("rejects DATABASE_URL=%j", (url) => {
    expect(problemsOf({ DATABASE_URL: url })).toEqual([expect.stringContaining("DATABASE_URL")]);
  });

  it.each([DEV_KEY.slice(2), DEV_KEY.slice(0, -2), `${DEV_KEY}00`, `0x${"g".repeat(64)}`])(
    "rejects OPERATOR_PRIVATE_KEY=%j",
    (key) => {
      expect(problemsOf({ OPERATOR_PRIVATE_KEY: key })).toEqual([
        "OPERATOR_PRIVATE_KEY must be a 0x-prefixed 32-byte hex key",
      ]);
    },
  );

  it("rejects an ADMIN_API_KEY shorter than 24 characters", () => {
    expect(problemsOf({ ADMIN_API_KEY: "a".repeat(23) })).toEqual(["ADMIN_API_KEY must be at least 24 characters"]);
  });

  it("rejects a SESSION_SECRET shorter than 32 characters", () => {
    expect(problemsOf({ SESSION_SECRET: "s".repeat(31) })).toEqual(["SESSION_SECRET must be at least 32 characters"]);
  });

  it("rejects a PHONE_SALT shorter than 32 characters", () => {
    expect(problemsOf({ PHONE_SALT: "p".repeat(31) })).toEqual(["PHONE_SALT must be at least 32 characters"]);
  });

  it("requires OPERATOR_PRIVATE_KEY when CHAIN_RPC_URL names a chain", () => {
    expect(problemsOf({ CHAIN_RPC_URL: "https://rpc.example.org" })).toEqual([
      "OPERATOR_PRIVATE_KEY is required when CHAIN_RPC_URL names a chain",
    ]);
  });

  it("rejects a CHAIN_RPC_URL that is not http, https, ws or wss", () => {
    expect(problemsOf({ CHAIN_RPC_URL: "ftp://rpc.example.org", OPERATOR_PRIVATE_KEY: DEV_KEY })).toEqual([
      expect.stringContaining("CHAIN_RPC_URL"),
    ]);
  });

  it("takes CHAIN_RPC_URLS in order of preference, the first one standing for CHAIN_RPC_URL", () => {
    const config = loadConfig({ CHAIN_RPC_URLS: " https://a.example.org/v3/key , wss://b.example.org,, http://127.0.0.1:8545 ", OPERATOR_PRIVATE_KEY: DEV_KEY });
    expect(config.chainRpcUrls).toEqual(["https://a.example.org/v3/key", "wss://b.example.org", "http://127.0.0.1:8545"]);
    expect(config.chainRpcUrl).toBe("https://a.example.org/v3/key");
    expect(config.publicChainRpcUrl).toBe("https://a.example.org/v3/key");
  });

  it("refuses CHAIN_RPC_URL and CHAIN_RPC_URLS together, rather than pick one", () => {
    expect(problemsOf({ CHAIN_RPC_URL: "https://a.example.org", CHAIN_RPC_URLS: "https://b.example.org", OPERATOR_PRIVATE_KEY: DEV_KEY })).toEqual([
      "set CHAIN_RPC_URL (one URL) or CHAIN_RPC_URLS (several), not both",
    ]);
  });

  it("rejects a CHAIN_RPC_URLS entry of another scheme, a URL listed twice, and an empty list", () => {
    expect(problemsOf({ CHAIN_RPC_URLS: "https://a.example.org,ftp://b.example.org", OPERATOR_PRIVATE_KEY: DEV_KEY })).toEqual([
      'CHAIN_RPC_URLS must list URLs with scheme http: or https: or ws: or wss: (got "ftp://b.example.org")',
    ]);
    expect(problemsOf({ CHAIN_RPC_URLS: "https://a.example.org/,https://A.example.org", OPERATOR_PRIVATE_KEY: DEV_KEY })).toEqual([
      "CHAIN_RPC_URLS lists https://a.example.org twice (each endpoint once)",
    ]);
    expect(problemsOf({ CHAIN_RPC_URLS: " , ", OPERATOR_PRIVATE_KEY: DEV_KEY })).toEqual(["CHAIN_RPC_URLS must list at least one URL"]);
    expect(problemsOf({ CHAIN_RPC_URLS: "https://a.example.org" })).toEqual(["OPERATOR_PRIVATE_KEY is required when CHAIN_RPC_URLS names a chain"]);
  });

  it("lists every bad variable together in one error", () => {
    const env = {
      PORT: "http",
      BATCH_MAX: "0",
      BATCH_MS: "0",
      STUCK_EVENT_MINUTES: "0",
      LOG_LEVEL: "loud",
      DATABASE_URL: "mysql://db/recircle",
      REDIS_URL: "http://cache",
      OPERATOR_PRIVATE_KEY: "0x1234",
      ADMIN_API_KEY: "short",
    };
    const problems = problemsOf(env);
    expect(problems).toHaveLength(Object.keys(env).length);
    for (const name of Object.keys(env)) expect(problems.some((p) => p.startsWith(name))).toBe(true);

    const error = (() => {
      try {
        loadConfig(env);
      } catch (caught) {
        return caught as ConfigError;
      }
    })();
    for (const problem of problems) expect(error?.message).toContain(problem);
  });

  it("lists a missing operator key alongside other problems", () => {
    const problems = problemsOf({ CHAIN_RPC_URL: "wss://rpc.example.org", BATCH_MAX: "1501", ADMIN_API_KEY: "x" });
    expect(problems).toHaveLength(3);
    expect(problems).toContain("OPERATOR_PRIVATE_KEY is required when CHAIN_RPC_URL names a chain");
  });
});
