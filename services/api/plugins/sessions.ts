import type { FastifyInstance, onRequestAsyncHookHandler } from "fastify";
import fp from "fastify-plugin";
import type { Config } from "../../config.js";
import { RecircleError } from "../../core/errors.js";
import { issueSessionToken, verifySessionToken } from "../../core/session-tokens.js";
import type { MemberKind } from "../../db/members.js";

declare module "fastify" {
  interface FastifyInstance {
    /** Issues a collector's session token (15 min); 503 when this process has no SESSION_SECRET. */
    issueSession(wallet: string): { token: string; expiresAt: number };
    /**
     * An onRequest hook admitting a collector's session token (then `request.collector` is its wallet) or an
     * API key of one of these kinds (then `request.member`, as `requireMember` does).
     */
    requireCollectorOrMember(...kinds: MemberKind[]): onRequestAsyncHookHandler;
  }
  interface FastifyRequest {
    collector: string | undefined;
  }
}

const nowS = () => Math.floor(Date.now() / 1000);
const refused = (code: `RC_${string}`, message: string) => new RecircleError(code, 401, message);

/** Collectors' sessions: signed tokens from services/core/session-tokens.ts, keyed by SESSION_SECRET. */
export default fp(
  async (app: FastifyInstance, { config }: { config: Config }) => {
    const secret = config.sessionSecret;
    // Not fatal: the organisations' API works without it. `npm start` always provides one.
    if (!secret) app.log.warn("SESSION_SECRET is unset: collector sign-in answers 503");

    app.decorateRequest("collector", undefined);
    app.decorate("issueSession", (wallet: string) => {
      if (!secret) throw new RecircleError("RC_SESSIONS_UNAVAILABLE", 503, "collector sessions are not configured here");
      const { token, exp } = issueSessionToken(wallet, secret, nowS());
      return { token, expiresAt: exp };
    });
    app.decorate("requireCollectorOrMember", (...kinds: MemberKind[]): onRequestAsyncHookHandler => {
      const member = app.requireMember(...kinds);
      return async (request, reply) => {
        const match = /^Bearer\s+(\S+)$/i.exec(request.headers.authorization ?? "");
        // API keys (rck_ + base64url) never contain a dot and session tokens always do.
        if (!match || !match[1]!.includes(".")) return member.call(app, request, reply);
        if (!secret) throw refused("RC_SESSION_INVALID", "collector sessions are not configured here");
        const check = verifySessionToken(match[1]!, secret, nowS());
        if (!check.ok) {
          throw check.reason === "expired"
            ? refused("RC_SESSION_EXPIRED", "the session has expired: sign in again")
            : refused("RC_SESSION_INVALID", "not a session token this service issued");
        }
        request.collector = check.claims.sub;
      };
    });
  },
  { name: "sessions", dependencies: ["auth"] },
);
