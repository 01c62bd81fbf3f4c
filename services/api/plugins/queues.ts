import type { FastifyInstance } from "fastify";
import fp from "fastify-plugin";
import type { Config } from "../../config.js";
import { createQueue } from "../../queue/queues.js";

declare module "fastify" {
  interface FastifyInstance {
    queues: {
      payments: ReturnType<typeof createQueue<"payments">>;
      redemptions: ReturnType<typeof createQueue<"redemptions">>;
      /** Filled by the webhook worker; the API only reads its depth for /metrics. */
      webhooks: ReturnType<typeof createQueue<"webhooks">>;
    };
  }
}

/** The queues the API enqueues to; the workers (workers/*.ts) consume them. */
export default fp(
  async (app: FastifyInstance, { config }: { config: Config }) => {
    const queues = {
      payments: createQueue("payments", app.redis, config.redisPrefix),
      redemptions: createQueue("redemptions", app.redis, config.redisPrefix),
      webhooks: createQueue("webhooks", app.redis, config.redisPrefix),
    };
    app.decorate("queues", queues);
    app.addHook("onClose", async () => {
      await Promise.all(Object.values(queues).map((queue) => queue.close()));
    });
  },
  { name: "queues", dependencies: ["redis"] },
);
