import { type FastifyReply, type FastifyRequest, LogController } from "fastify";

/**
 * The routes the web app's pages poll every few seconds (a drop-off until minted, a payment or redemption
 * until settled, a collector's balance), and the probes of load balancers and Prometheus: their request
 * lines are logged at `debug`, so `npm start`'s banner and the lines that matter stay readable at `info`.
 */
export const POLLED_ROUTES = new Set([
  "/health",
  "/metrics",
  "/v1/network",
  "/v1/collections",
  "/v1/collections/day",
  "/v1/collections/:id",
  "/v1/payments/:id",
  "/v1/redemptions/:id",
  "/v1/collectors/:address",
]);

const polled = (request: FastifyRequest) => request.method === "GET" && POLLED_ROUTES.has(request.routeOptions.url ?? "");

/** Fastify's request lines (`incoming request`, `request completed`), at `debug` for polled routes, `info` otherwise. */
export class RequestLog extends LogController {
  override incomingRequest(request: FastifyRequest): void {
    if (this.isLogDisabled(request)) return;
    if (polled(request)) request.log.debug({ req: request }, "incoming request");
    else request.log.info({ req: request }, "incoming request");
  }

  override requestCompleted(error: Error | null | undefined, request: FastifyRequest, reply: FastifyReply): void {
    if (this.isLogDisabled(request)) return;
    if (error) reply.log.error({ res: reply, err: error, responseTime: reply.elapsedTime }, "request errored");
    else if (polled(request)) reply.log.debug({ res: reply, responseTime: reply.elapsedTime }, "request completed");
    else reply.log.info({ res: reply, responseTime: reply.elapsedTime }, "request completed");
  }
}
