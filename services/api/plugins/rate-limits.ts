import { createHash } from "node:crypto";
import rateLimit from "@fastify/rate-limit";
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import fp from "fastify-plugin";
import type { Config } from "../../config.js";
import { RecircleError } from "../../core/errors.js";
import { queuePrefix } from "../../queue/queues.js";

declare module "fastify" {
  interface FastifyInstance {
    /**
     * Counts one claim for the phone whose key (services/core/phone.ts: salted, so Redis holds no number) is
     * `phoneKey`; past RATE_LIMIT_CLAIMS_PER_PHONE in an hour, a 429 `RC_RATE_LIMITED` with `Retry-After`.
     */
    limitClaimsPerPhone(request: FastifyRequest, reply: FastifyReply, phoneKey: string): Promise<void>;
  }
}

const MINUTE = 60_000;
const hash = (text: string) => createHash("sha256").update(text).digest("base64url").slice(0, 22);
const bearerOf = (request: FastifyRequest) => /^Bearer\s+(\S+)$/i.exec(request.headers.authorization ?? "")?.[1];

type Limiter = (
  request: FastifyRequest,
  options?: { increment?: boolean },
) => Promise<{ isAllowed: true } | { isAllowed: false; isExceeded: boolean; remaining: number; ttlInSeconds: number }>;

/**
 * The API's rate limits (@fastify/rate-limit's counters in Redis, under REDIS_PREFIX, so every API process
 * shares them): every request per client address and per API key or session token; credentials from an
 * address that sent too many wrong ones are refused before they are looked up; sign-in, claims and
 * payments have tighter limits of their own. Past a limit: 429 `RC_RATE_LIMITED` with `Retry-After`.
 */
export default fp(
  async (app: FastifyInstance, { config }: { config: Config }) => {
    const limits = config.rateLimits;
    await app.register(rateLimit, {
      global: false,
      redis: app.redis,
      // Under the deployment's prefix as the queues' keys are, so a test run's or a bench's cleanup removes them too.
      nameSpace: `${queuePrefix(config.redisPrefix)}:rate-limit:`,
      // Redis down: the queues are down too, and refusing every request would not help anyone.
      skipOnError: true,
    });
    // One store key per limiter: createRateLimit's children all share one namespace, so the key says which.
    const limiter = (name: string, max: number, key: (request: FastifyRequest) => string, windowMs = MINUTE): Limiter =>
      app.createRateLimit({ max, timeWindow: windowMs, keyGenerator: (request) => `${name}:${key(request)}` }) as Limiter;
    const ip = (request: FastifyRequest) => request.ip;
    const perIp = limiter("ip", limits.perIp, ip);
    const perKey = limiter("key", limits.perKey, (request) => hash(bearerOf(request) ?? ""));
    const authFailures = limiter("auth-failures", limits.authFailuresPerIp, ip);
    const routes: Record<string, Limiter> = {
      "POST /v1/auth/collector": limiter("login", limits.loginsPerIp, ip),
      "POST /v1/claims": limiter("claims", limits.claimsPerIp, ip),
      "POST /v1/payments": limiter("payments", limits.paymentsPerIp, ip),
      // Relayed at the operator's gas as payments are, so held to the same limit (counted apart).
      "POST /v1/account-signers": limiter("account-signers", limits.paymentsPerIp, ip),
    };

    const refuse = (ttlInSeconds: number, reply: FastifyReply) => {
      const seconds = Math.max(1, ttlInSeconds);
      reply.header("retry-after", String(seconds));
      return new RecircleError("RC_RATE_LIMITED", 429, `too many requests: retry in ${seconds} s`);
    };
    const check = async (limit: Limiter, request: FastifyRequest, reply: FastifyReply) => {
      const result = await limit(request);
      if (!result.isAllowed && result.isExceeded) throw refuse(result.ttlInSeconds, reply);
    };

    app.addHook("onRequest", async (request, reply) => {
      await check(perIp, request, reply);
      if (request.headers.authorization !== undefined) {
        // Read, not counted: only a refused credential counts (onResponse below). The limit's worth of
        // failures already made, the next credential waits.
        const failures = await authFailures(request, { increment: false });
        if (!failures.isAllowed && failures.remaining === 0 && failures.ttlInSeconds > 0) throw refuse(failures.ttlInSeconds, reply);
        if (bearerOf(request)) await check(perKey, request, reply);
      }
      const route = routes[`${request.method} ${request.routeOptions.url}`];
      if (route) await check(route, request, reply);
    });
    // A wrong API key or session token (401 to a request that carried one) counts against its address.
    app.addHook("onResponse", async (request, reply) => {
      if (reply.statusCode === 401 && request.headers.authorization !== undefined) await authFailures(request).catch(() => {});
    });

    // Limits on something the body names (a phone number): the route counts them once it has parsed the body.
    const keyOf = new WeakMap<FastifyRequest, string>();
    const perPhone = limiter("claims-phone", limits.claimsPerPhone, (request) => hash(keyOf.get(request) ?? ""), 60 * MINUTE);
    app.decorate("limitClaimsPerPhone", async (request: FastifyRequest, reply: FastifyReply, phoneKey: string) => {
      keyOf.set(request, phoneKey);
      await check(perPhone, request, reply);
    });
  },
  { name: "rate-limits", dependencies: ["redis", "errors"] },
);
