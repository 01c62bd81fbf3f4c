import type { FastifyInstance } from "fastify";
import fp from "fastify-plugin";
import { TtlCache } from "../../core/ttl-cache.js";
import { type Collector, findCollectorByAddress } from "../../db/collectors.js";
import { findProgram, type Program, programRoleOf, type ProgramRole } from "../../db/programs.js";

declare module "fastify" {
  interface FastifyInstance {
    /** Reads every accepted event needs, memoized briefly: they cost a round trip each otherwise. */
    lookups: {
      program(id: bigint): Promise<Program | undefined>;
      role(programId: bigint, memberId: bigint): Promise<ProgramRole | undefined>;
      collector(address: string): Promise<Collector | undefined>;
    };
  }
}

/** Programs and rights change rarely and only by an admin; a few seconds of staleness is the price. */
const PROGRAM_TTL_MS = 5_000;
/** A registered collector stays registered. */
const COLLECTOR_TTL_MS = 60_000;

export default fp(
  async (app: FastifyInstance) => {
    const programs = new TtlCache<bigint, Program>(PROGRAM_TTL_MS);
    const roles = new TtlCache<string, ProgramRole>(PROGRAM_TTL_MS);
    const collectors = new TtlCache<string, Collector>(COLLECTOR_TTL_MS);
    app.decorate("lookups", {
      program: (id: bigint) => programs.get(id, () => findProgram(app.sql, id)),
      role: (programId: bigint, memberId: bigint) =>
        roles.get(`${programId}:${memberId}`, () => programRoleOf(app.sql, programId, memberId)),
      collector: (address: string) => collectors.get(address, () => findCollectorByAddress(app.sql, address)),
    });
  },
  { name: "lookups", dependencies: ["sql"] },
);
