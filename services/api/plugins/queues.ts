import type { FastifyInstance } from "fastify";
import fp from "fastify-plugin";
import type { Config } from "../../config.js";
import { createQueue } from "../../queue/queues.js";

declare module "fastify" {
  interface FastifyInstance {
    queues: { payments: ReturnType<typeof createQueue<"payments">>; redemptions: ReturnType<typeof createQueue<"redemptions">> };
  }
}

/** The queues the API enqueues to; the workers (workers/*.ts) consume them. */
export default fp(
  async (app: FastifyInstance, { config }: { config: Config }) => {
    const queues = {
      payments: createQueue("payments", app.redis, config.redisPrefix),
      redemptions: createQueue("redemptions", app.redis, config.redisPrefix),
    };
    app.decorate("queues", queues);
    app.addHook("onClose", async () => {
      await Promise.all([queues.payments.close(), queues.redemptions.close()]);
    });
  },
  { name: "queues", dependencies: ["redis"] },
);
