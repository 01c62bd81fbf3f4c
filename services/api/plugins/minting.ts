import type { FastifyInstance } from "fastify";
import fp from "fastify-plugin";
import type { Config } from "../../config.js";
import { MintBatcher } from "../../engines/mint-batcher.js";

declare module "fastify" {
  interface FastifyInstance {
    /** Tells the mint batcher that events were accepted; a no-op when this process runs none. */
    notifyMinter(): void;
  }
}

/** Runs the mint batcher inside the API process when asked to: it recovers, starts, and stops on close. */
export default fp(
  async (app: FastifyInstance, { config, runBatcher }: { config: Config; runBatcher: boolean }) => {
    if (!runBatcher) {
      app.decorate("notifyMinter", () => {});
      return;
    }
    const batcher = new MintBatcher(app.sql, app.chain, {
      batchMax: config.batchMax,
      batchMs: config.batchMs,
      log: app.log,
      observe: {
        batchSent: (size) => app.metrics.mintBatchSize.observe(size),
        batchConfirmed: (_size, gasUsed, latencyMs) => {
          app.metrics.mintBatchLatency.observe(latencyMs / 1000);
          app.metrics.mintGasUsed.inc(Number(gasUsed));
        },
      },
    });
    await batcher.recover();
    batcher.start();
    app.decorate("notifyMinter", () => batcher.notify());
    app.addHook("onClose", () => batcher.stop());
  },
  { name: "minting", dependencies: ["sql", "chain", "metrics"] },
);
