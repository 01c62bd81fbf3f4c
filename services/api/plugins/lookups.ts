import type { FastifyInstance } from "fastify";
import fp from "fastify-plugin";
import { createLookups, type Lookups } from "../../flows/lookups.js";

declare module "fastify" {
  interface FastifyInstance {
    /** Reads every accepted event needs, memoized briefly (services/flows/lookups.ts). */
    lookups: Lookups;
  }
}

export default fp(
  async (app: FastifyInstance) => {
    app.decorate("lookups", createLookups(app.sql));
  },
  { name: "lookups", dependencies: ["sql"] },
);
