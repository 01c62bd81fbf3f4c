import { TtlCache } from "../core/ttl-cache.js";
import { type Collector, findCollectorByAddress } from "../db/collectors.js";
import { findProgram, type Program, programRoleOf, type ProgramRole } from "../db/programs.js";
import type { Sql } from "../db/sql.js";

/** Reads every accepted event needs, memoized briefly: they cost a round trip each otherwise. */
export interface Lookups {
  program(id: bigint): Promise<Program | undefined>;
  role(programId: bigint, memberId: bigint): Promise<ProgramRole | undefined>;
  collector(address: string): Promise<Collector | undefined>;
  /** Forgets a cached role, so a revocation is refused by this process at once (others within PROGRAM_TTL_MS). */
  forgetRole(programId: bigint, memberId: bigint): void;
  /** Forgets a cached program, so new terms apply in this process at once (others within PROGRAM_TTL_MS). */
  forgetProgram(id: bigint): void;
}

/** Programs and rights change rarely and only by an admin; a few seconds of staleness is the price. */
const PROGRAM_TTL_MS = 5_000;
/** A registered collector stays registered. */
const COLLECTOR_TTL_MS = 60_000;

/** One per process (the API's plugin holds it): the caches are its own. */
export function createLookups(sql: Sql): Lookups {
  const programs = new TtlCache<bigint, Program>(PROGRAM_TTL_MS);
  const roles = new TtlCache<string, ProgramRole>(PROGRAM_TTL_MS);
  const collectors = new TtlCache<string, Collector>(COLLECTOR_TTL_MS);
  return {
    program: (id) => programs.get(id, () => findProgram(sql, id)),
    role: (programId, memberId) => roles.get(`${programId}:${memberId}`, () => programRoleOf(sql, programId, memberId)),
    collector: (address) => collectors.get(address, () => findCollectorByAddress(sql, address)),
    forgetRole: (programId, memberId) => roles.delete(`${programId}:${memberId}`),
    forgetProgram: (id) => programs.delete(id),
  };
}
