import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import fp from "fastify-plugin";
import { RecircleError } from "../../core/errors.js";

/** Fastify's own client errors, renamed into the RC_ code space. */
const FASTIFY_CODES: Record<string, string> = {
  FST_ERR_CTP_BODY_TOO_LARGE: "RC_BODY_TOO_LARGE",
  FST_ERR_CTP_INVALID_MEDIA_TYPE: "RC_UNSUPPORTED_MEDIA_TYPE",
  FST_ERR_CTP_EMPTY_JSON_BODY: "RC_INVALID_JSON",
  FST_ERR_CTP_INVALID_JSON_BODY: "RC_INVALID_JSON",
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: "RC_INVALID_CONTENT_LENGTH",
};

/**
 * Errors the router raises before any route or error handler runs (a path segment over the length limit, a
 * malformed percent-encoding): Fastify answers them with its own body unless given this, as `frameworkErrors`.
 */
export function frameworkErrors(error: FastifyError, _request: FastifyRequest, reply: FastifyReply) {
  const code = error.code === "FST_ERR_MAX_PARAM_LENGTH" ? "RC_PATH_TOO_LONG" : "RC_BAD_URL";
  return reply.status(error.code === "FST_ERR_MAX_PARAM_LENGTH" ? 414 : 400).send({
    error: { code, message: code === "RC_PATH_TOO_LONG" ? "a path parameter is too long" : "the URL is not validly encoded" },
  });
}

/** The one place errors become responses: `{ error: { code, message } }`, and no 5xx internals leak. */
export default fp(
  async (app: FastifyInstance) => {
    app.setErrorHandler((error: FastifyError | RecircleError, request, reply) => {
      if (error instanceof RecircleError) {
        if (error.statusCode >= 500) request.log.error({ err: error }, "domain error");
        return reply.status(error.statusCode).send({
          error: { code: error.code, message: error.message, ...(error.details ? { details: error.details } : {}) },
        });
      }
      if (error.validation) {
        return reply.status(400).send({
          error: { code: "RC_VALIDATION", message: `${error.validationContext ?? "request"} ${error.validation[0]?.message ?? "is invalid"}`.replace(/^body\s\//, "body/") },
        });
      }
      const status = error.statusCode ?? 500;
      if (status >= 400 && status < 500) {
        const code = FASTIFY_CODES[error.code] ?? (error instanceof SyntaxError ? "RC_INVALID_JSON" : "RC_BAD_REQUEST");
        return reply.status(status).send({ error: { code, message: error.message } });
      }
      request.log.error({ err: error }, "unhandled error");
      return reply.status(500).send({ error: { code: "RC_INTERNAL", message: "internal error" } });
    });
    app.setNotFoundHandler((request, reply) =>
      reply.status(404).send({ error: { code: "RC_ROUTE_NOT_FOUND", message: `no route ${request.method} ${request.url}` } }),
    );
  },
  { name: "errors" },
);
