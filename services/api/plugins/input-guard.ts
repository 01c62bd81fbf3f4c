import type { FastifyInstance, FastifyReply, FastifyRequest, onSendHookHandler } from "fastify";
import fp from "fastify-plugin";
import { badRequest } from "../../core/errors.js";
import { nulPath } from "../../core/input-bounds.js";
import { SECRET_KEYWORD } from "../validation.js";

/** Where Swagger UI is served: its pages get the browser security headers below. */
export const DOCS_PREFIX = "/docs";

/**
 * Swagger UI's own Content-Security-Policy (scripts from us only, its inline one by hash), framed by nobody, and
 * without `upgrade-insecure-requests`, which would send a development server's http assets to https. Its React
 * views set inline styles, so styles may be inline (a style cannot run code); nothing is loaded from elsewhere.
 */
export const docsUiSecurity = {
  staticCSP: true,
  transformStaticCSP: (header: string) =>
    header
      .replace("frame-ancestors 'self'", "frame-ancestors 'none'")
      .replace(/style-src [^;]*;/, "style-src 'self' 'unsafe-inline';")
      .replace(/font-src [^;]*;/, "font-src 'self' data:;")
      .replace(/\s*upgrade-insecure-requests;?/, "")
      .trim(),
};

const DOCS_HEADERS = {
  "x-content-type-options": "nosniff",
  "referrer-policy": "no-referrer",
  "x-frame-options": "DENY",
};

/** Whether a route's response schemas mark a field as a secret (an API key, a webhook secret, a code, a token). */
function carriesSecret(schema: unknown, depth = 0): boolean {
  if (depth > 20 || schema === null || typeof schema !== "object") return false;
  if ((schema as Record<string, unknown>)[SECRET_KEYWORD] === true) return true;
  return Object.values(schema).some((inner) => carriesSecret(inner, depth + 1));
}

const noStore: onSendHookHandler = async (_request, reply: FastifyReply, payload) => {
  reply.header("cache-control", "no-store");
  return payload;
};

/**
 * What every request gets, whatever its route:
 * - a string or key with a NUL character anywhere in the body, query or path is a 400 (PostgreSQL text and
 *   jsonb cannot hold one, so it would otherwise fail the query as a 500);
 * - an answer whose schema carries a secret is sent with `Cache-Control: no-store`;
 * - the documentation pages carry the browser security headers.
 */
export default fp(
  async (app: FastifyInstance) => {
    app.addHook("onRoute", (route) => {
      if (!carriesSecret(route.schema?.response)) return;
      const existing = route.onSend === undefined ? [] : Array.isArray(route.onSend) ? route.onSend : [route.onSend];
      route.onSend = [...existing, noStore];
    });
    app.addHook("preValidation", async (request: FastifyRequest) => {
      for (const [part, value] of [["params", request.params], ["querystring", request.query], ["body", request.body]] as const) {
        const at = nulPath(value);
        if (at !== undefined) {
          throw badRequest("RC_VALIDATION", `${part}${at ? `/${at}` : ""} must not contain a NUL character`);
        }
      }
    });
    app.addHook("onSend", async (request, reply, payload) => {
      const path = request.url.split("?", 1)[0]!;
      if (path === DOCS_PREFIX || path.startsWith(`${DOCS_PREFIX}/`)) reply.headers(DOCS_HEADERS);
      return payload;
    });
  },
  { name: "input-guard" },
);
