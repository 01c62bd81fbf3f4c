import type { FastifyInstance } from "fastify";
import fp from "fastify-plugin";
import type { Config } from "../../config.js";
import { startOperator } from "../../flows/operator.js";
import { registerSignerMetrics } from "../../queue/signer-metrics.js";
import type { OperatorWriteDeps } from "../../flows/operator-write.js";

declare module "fastify" {
  interface FastifyInstance {
    /** Tells the mint batcher that events were accepted; a no-op when this process runs none. */
    notifyMinter(): void;
    /** What the flows that record an operator write need: the database and how long to wait for the outcome. */
    operatorWrites: OperatorWriteDeps;
  }
}

/**
 * The operator's writes as the API sees them: recorded in the outbox, carried out by the operator's one sender
 * (workers/operator.ts). With `inProcessOperator` the sender runs inside this process instead (tests,
 * single-process tools): it recovers, starts, and stops on close.
 */
export default fp(
  async (app: FastifyInstance, { config, inProcessOperator }: { config: Config; inProcessOperator?: { mint: boolean } }) => {
    app.decorate("operatorWrites", { sql: app.sql, writeWaitMs: config.chainWriteWaitMs });
    if (!inProcessOperator) {
      app.decorate("notifyMinter", () => {});
      return;
    }
    const operator = await startOperator(app.sql, app.chain, {
      batchMax: config.batchMax,
      batchMs: config.batchMs,
      mint: inProcessOperator.mint,
      confirmations: config.chainConfirmations,
      idempotencyKeyTtlHours: config.idempotencyKeyTtlHours,
      log: app.log,
      observe: {
        batchSent: (size) => app.metrics.mintBatchSize.observe(size),
        batchConfirmed: (_size, gasUsed, latencyMs) => {
          app.metrics.mintBatchLatency.observe(latencyMs / 1000);
          app.metrics.mintGasUsed.inc(Number(gasUsed));
        },
      },
    });
    registerSignerMetrics(app.metrics.registry, app.chain.writer);
    app.decorate("notifyMinter", () => operator.notify());
    app.addHook("onClose", () => operator.stop());
  },
  { name: "operator", dependencies: ["sql", "chain", "metrics"] },
);
