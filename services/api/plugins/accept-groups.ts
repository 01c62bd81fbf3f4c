import type { FastifyInstance } from "fastify";
import fp from "fastify-plugin";
import type { Config } from "../../config.js";
import { aloneRecorder, type EventRecorder, groupRecorder } from "../../flows/record-events.js";

declare module "fastify" {
  interface FastifyInstance {
    /** Writes accepted drop-offs and loyalty events, sharing a transaction among those that arrive together. */
    eventRecorder: EventRecorder;
  }
}

/**
 * Groups written at once, each on a connection of its own: while one commits, the next is being gathered and
 * sent, and the rest of the pool stays free for the other reads.
 */
const GROUPS_IN_FLIGHT = 2;

export default fp(
  async (app: FastifyInstance, { config }: { config: Config }) => {
    const recorder =
      config.acceptGroupMax === 1
        ? aloneRecorder(app.sql)
        : groupRecorder(app.sql, {
            max: config.acceptGroupMax,
            maxInFlight: GROUPS_IN_FLIGHT,
            observe: {
              grouped: (size) => app.metrics.acceptGroupSize.observe(size),
              failedTogether: (size, error) => {
                app.metrics.acceptGroupsFailed.inc();
                app.log.warn({ err: error, size }, "a group of accepted events failed together; writing them one by one");
              },
            },
          });
    app.decorate("eventRecorder", recorder);
  },
  { name: "accept-groups", dependencies: ["sql", "metrics"] },
);
