import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import { WEBHOOK_FAILURE_WINDOW_MINUTES } from "../../../db/metrics.js";
import { errors } from "../../schemas/common.js";
import { SystemFigures } from "../../schemas/system.js";

/**
 * The figures /metrics has, as JSON for the operator's console: read through the same cached readers
 * (plugins/system-figures.ts), so the console refreshing adds no query. A figure whose source did not answer is
 * null (or left out of a list) rather than failing the others.
 */
const systemRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    "/admin/system",
    {
      onRequest: app.requireMember("admin"),
      schema: {
        summary: "Queue depths, outbox lags, indexer lag, signer balances and webhook failures (read at most every few seconds)",
        tags: ["operations"],
        security: [{ apiKey: [] }],
        response: { 200: SystemFigures, ...errors(401, 403) },
      },
    },
    async () => {
      const figures = app.systemFigures;
      const unavailable = (what: string) => (error: unknown) => void app.log.warn({ err: error }, `system figures: ${what} unavailable`);
      const [queues, outbox, webhooks, indexer, signers] = await Promise.all([
        figures.queues(),
        figures.outbox().catch(unavailable("mint outbox")),
        figures.webhooks().catch(unavailable("webhook outbox")),
        figures.indexer().catch(unavailable("indexer lag")),
        figures.signers(),
      ]);
      return {
        queues: queues.flatMap(({ name, counts }) => (counts ? [{ name, ...counts }] : [])),
        mintOutbox: outbox ? { ...outbox.counts, oldestAgeSeconds: outbox.oldestAgeSeconds } : null,
        webhooks: webhooks ? { ...webhooks, windowMinutes: WEBHOOK_FAILURE_WINDOW_MINUTES } : null,
        indexer: indexer ? { headBlock: indexer.headBlock, lagBlocks: indexer.lagBlocks, checkpointAgeSeconds: indexer.ageSeconds ?? null } : null,
        signers: signers.map((signer) => ({ ...signer, balanceEth: signer.balanceEth ?? null, low: signer.low ?? null })),
      };
    },
  );
};

export default systemRoutes;
