import { timingSafeEqual } from "node:crypto";
import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import type { Config } from "../../../config.js";
import { unauthorized } from "../../../core/errors.js";
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

/** Whether `header` is `Bearer <token>`, compared in constant time. */
function bearerMatches(header: string | undefined, token: string): boolean {
  const given = Buffer.from(/^Bearer\s+(\S+)$/i.exec(header ?? "")?.[1] ?? "");
  const wanted = Buffer.from(token);
  return given.length === wanted.length && timingSafeEqual(given, wanted);
}

const healthRoutes: FastifyPluginAsyncTypebox<{ config: Config }> = async (app, { config }) => {
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

  // METRICS_TOKEN set: only the scraper that has it reads the figures (queue depths, lags, balances).
  app.get("/metrics", { schema: { hide: true } }, async (request, reply) => {
    if (config.metricsToken !== undefined && !bearerMatches(request.headers.authorization, config.metricsToken)) {
      throw unauthorized("send the metrics token as 'Authorization: Bearer <token>'");
    }
    reply.header("content-type", app.metrics.registry.contentType);
    return app.metrics.registry.metrics();
  });
};

export default healthRoutes;
