import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import { Health } from "../../schemas/health.js";

async function timed<T>(probe: () => Promise<T>) {
  const started = performance.now();
  try {
    const value = await Promise.race([
      probe(),
      new Promise<never>((_, reject) => setTimeout(() => reject(new Error("timed out after 2 s")), 2_000)),
    ]);
    return { ok: true, latencyMs: Math.round(performance.now() - started), value };
  } catch (error) {
    return { ok: false, latencyMs: Math.round(performance.now() - started), detail: (error as Error).message };
  }
}

const healthRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    "/health",
    { schema: { summary: "Database, Redis and chain, each checked", tags: ["operations"], response: { 200: Health, 503: Health } } },
    async (_request, reply) => {
      const [database, redis, chain] = await Promise.all([
        timed(() => app.sql`select 1`),
        timed(() => app.redis.ping()),
        timed(() => app.chain.provider.getBlockNumber()),
      ]);
      const strip = ({ value: _value, ...check }: { value?: unknown; ok: boolean; latencyMs: number }) => check;
      const healthy = database.ok && redis.ok && chain.ok;
      return reply.status(healthy ? 200 : 503).send({
        status: healthy ? "ok" : "degraded",
        database: strip(database),
        redis: strip(redis),
        chain: {
          ...strip(chain),
          chainId: app.chain.chainId,
          ...(chain.ok ? { blockNumber: chain.value as number } : {}),
        },
      });
    },
  );

  app.get("/metrics", { schema: { hide: true } }, async (_request, reply) => {
    reply.header("content-type", app.metrics.registry.contentType);
    return app.metrics.registry.metrics();
  });
};

export default healthRoutes;
