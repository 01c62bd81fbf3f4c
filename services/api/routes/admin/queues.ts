import { createBullBoard } from "@bull-board/api";
import { BullMQAdapter } from "@bull-board/api/bullMQAdapter";
import { FastifyAdapter } from "@bull-board/fastify";
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { RecircleError } from "../../../core/errors.js";

export const QUEUE_BOARD_PATH = "/admin/queues";

/**
 * A browser cannot be told to send a Bearer header, but it sends Basic credentials it was asked for with every
 * request, the board's own API calls included. So the admin key is also taken as the Basic password (any user).
 */
function bearerFromBasic(request: FastifyRequest) {
  const match = /^Basic\s+([A-Za-z0-9+/=]+)$/i.exec(request.headers.authorization ?? "");
  if (!match) return;
  const decoded = Buffer.from(match[1]!, "base64").toString("utf8");
  request.headers.authorization = `Bearer ${decoded.slice(decoded.indexOf(":") + 1)}`;
}

/**
 * Bull Board over the API's queues, for admins only. Register with `{ prefix: QUEUE_BOARD_PATH }`: this plugin
 * is encapsulated, so its hook guards the board's pages, assets and API and nothing else.
 */
export default async function queueBoard(app: FastifyInstance) {
  const serverAdapter = new FastifyAdapter();
  serverAdapter.setBasePath(QUEUE_BOARD_PATH);
  createBullBoard({
    queues: [new BullMQAdapter(app.queues.payments), new BullMQAdapter(app.queues.redemptions)],
    // @bull-board/fastify 9.10.1 (its latest) pins @bull-board/api 9.10.1 for its types while we run 9.10.2: the
    // two declare the same interface apart. At run time the adapter loads nothing from @bull-board/api.
    serverAdapter: serverAdapter as unknown as Parameters<typeof createBullBoard>[0]["serverAdapter"],
  });

  const requireAdmin = app.requireMember("admin");
  app.addHook("onRequest", async (request: FastifyRequest, reply: FastifyReply) => {
    bearerFromBasic(request);
    try {
      await requireAdmin.call(app, request, reply);
    } catch (error) {
      // Answered here: the board installs its own error handler, which would reshape our error body.
      if (!(error instanceof RecircleError)) throw error;
      if (error.statusCode === 401) reply.header("www-authenticate", 'Basic realm="recircle admin", charset="UTF-8"');
      return reply.status(error.statusCode).send({ error: { code: error.code, message: error.message } });
    }
  });
  await app.register(serverAdapter.registerPlugin());
}
