import type { FastifyInstance } from "fastify";
import fp from "fastify-plugin";
import { Redis } from "ioredis";
import type { Config } from "../../config.js";

declare module "fastify" {
  interface FastifyInstance {
    redis: Redis;
  }
}

export default fp(
  async (app: FastifyInstance, { config }: { config: Config }) => {
    // Queues (payments, redemptions) build on this connection's settings; BullMQ wants no retry cap.
    const redis = new Redis(config.redisUrl, { maxRetriesPerRequest: null, lazyConnect: true });
    redis.on("error", (error) => app.log.warn({ err: error }, "redis connection error"));
    await redis.connect();
    app.decorate("redis", redis);
    app.addHook("onClose", async () => {
      await redis.quit();
    });
  },
  { name: "redis" },
);
