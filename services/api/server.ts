import type { FastifyInstance } from "fastify";
import type { Config } from "../config.js";
import { buildApp } from "./app.js";

/**
 * The API listening on HOST:PORT, with the mint batcher running inside it unless `runBatcher` is false:
 * `npm start -- --api N` runs it in the first API process only (scripts/process-plan.ts says why).
 */
export async function startServer(config: Config, { runBatcher = true }: { runBatcher?: boolean } = {}): Promise<FastifyInstance> {
  const app = await buildApp({ config, ...(runBatcher ? { inProcessOperator: { mint: true } } : {}) });
  await app.listen({ host: config.host, port: config.port });
  return app;
}
