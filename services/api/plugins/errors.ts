import type { Socket } from "node:net";
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import fp from "fastify-plugin";
import { RecircleError } from "../../core/errors.js";
import { describeValidation } from "../validation.js";

/** Fastify's own client errors, renamed into the RC_ code space. */
const FASTIFY_CODES: Record<string, string> = {
  FST_ERR_CTP_BODY_TOO_LARGE: "RC_BODY_TOO_LARGE",
  FST_ERR_CTP_INVALID_MEDIA_TYPE: "RC_UNSUPPORTED_MEDIA_TYPE",
  FST_ERR_CTP_EMPTY_JSON_BODY: "RC_INVALID_JSON",
  FST_ERR_CTP_INVALID_JSON_BODY: "RC_INVALID_JSON",
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: "RC_INVALID_CONTENT_LENGTH",
  FST_ERR_CTP_INVALID_TYPE: "RC_UNSUPPORTED_MEDIA_TYPE",
  FST_ERR_CTP_INVALID_HEADER: "RC_UNSUPPORTED_MEDIA_TYPE",
  FST_ERR_BAD_URL: "RC_BAD_URL",
};

/** Node's own client errors, answered before Fastify sees a request: the status, code and message to send. */
function nodeClientError(error: NodeJS.ErrnoException): [number, string, string] {
  switch (error.code) {
    case "HPE_HEADER_OVERFLOW":
      return [431, "RC_HEADERS_TOO_LARGE", "the request headers are over 16 KB"];
    case "ERR_HTTP_REQUEST_TIMEOUT":
      return [408, "RC_REQUEST_TIMEOUT", "the request took too long to arrive"];
    case "HPE_CHUNK_EXTENSIONS_OVERFLOW":
      return [413, "RC_BODY_TOO_LARGE", "the request's chunk extensions are too large"];
    default:
      return [400, "RC_BAD_REQUEST", "the request is not valid HTTP"];
  }
}

/**
 * Fastify's `clientErrorHandler`: a request Node's parser refuses (headers over 16 KB, malformed HTTP, a request
 * timeout) is answered in the RC shape on the socket, then the socket is closed, as Node's own handler does.
 */
export function clientErrors(error: NodeJS.ErrnoException, socket: Socket): void {
  if (error.code === "ECONNRESET" || socket.destroyed) return;
  const [status, code, message] = nodeClientError(error);
  const body = JSON.stringify({ error: { code, message } });
  if (socket.writable) {
    socket.write(
      `HTTP/1.1 ${status} ${STATUS_TEXT[status]}\r\nConnection: close\r\nContent-Type: application/json; charset=utf-8\r\n` +
        `Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
    );
  }
  socket.destroy(error);
}

const STATUS_TEXT: Record<number, string> = { 400: "Bad Request", 408: "Request Timeout", 413: "Payload Too Large", 431: "Request Header Fields Too Large" };

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
        return reply.status(400).send({ error: describeValidation(error.validation as never, error.validationContext ?? "request") });
      }
      const status = error.statusCode ?? 500;
      if (status >= 400 && status < 500) {
        const code = FASTIFY_CODES[error.code] ?? (error instanceof SyntaxError ? "RC_INVALID_JSON" : "RC_BAD_REQUEST");
        return reply.status(status).send({ error: { code, message: error.message } });
      }
      request.log.error({ err: error }, "unhandled error");
      return reply.status(500).send({ error: { code: "RC_INTERNAL", message: "internal error" } });
    });
    app.setNotFoundHandler((request, reply) => {
      // The URL is the caller's: cut it so the answer does not echo a long or hostile one whole.
      const url = request.url.length > 200 ? `${request.url.slice(0, 200)}…` : request.url;
      return reply.status(404).send({ error: { code: "RC_ROUTE_NOT_FOUND", message: `no route ${request.method} ${url}` } });
    });
  },
  { name: "errors" },
);
