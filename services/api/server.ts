import type { FastifyInstance } from "fastify";
import type { Config } from "../config.js";
import { buildApp } from "./app.js";

/** The API listening on HOST:PORT with the mint batcher running inside it. */
export async function startServer(config: Config): Promise<FastifyInstance> {
  const app = await buildApp({ config, runBatcher: true });
  await app.listen({ host: config.host, port: config.port });
  return app;
}
