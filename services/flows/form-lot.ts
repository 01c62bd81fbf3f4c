import { badRequest, forbidden, notFound, RecircleError } from "../core/errors.js";
import { type Lot, type LotCandidate, ineligibleCollections, insertLot, lotCandidates } from "../db/lots.js";
import type { Member } from "../db/members.js";
import type { Sql } from "../db/sql.js";
import type { Lookups } from "./lookups.js";

/** A processor's lot: confirmed drop-offs of one recycling program and material. */
export interface LotRequest {
  programId: number;
  material: string;
  collectionIds: number[];
}

/** At most this many candidates in one answer: a lot is formed from one screen's worth at a time. */
export const CANDIDATES_LIMIT = 500;

/** The drop-offs a processor of the program may put in a lot of `material`, filtered by point and time. */
export async function findLotCandidates(
  deps: { sql: Sql; lookups: Lookups },
  processor: Member,
  query: { programId: number; material: string; pointId?: number; since?: Date; until?: Date },
): Promise<LotCandidate[]> {
  const program = await deps.lookups.program(BigInt(query.programId));
  if (!program) throw notFound("RC_PROGRAM_NOT_FOUND", `no program ${query.programId}`);
  if ((await deps.lookups.role(program.id, processor.id)) !== "processor") {
    throw forbidden("RC_NOT_PROGRAM_PROCESSOR", `this processor holds no processor role in program ${query.programId}`);
  }
  return lotCandidates(deps.sql, {
    programId: program.id,
    material: query.material,
    ...(query.pointId === undefined ? {} : { pointId: BigInt(query.pointId) }),
    ...(query.since === undefined ? {} : { since: query.since }),
    ...(query.until === undefined ? {} : { until: query.until }),
    limit: CANDIDATES_LIMIT,
  });
}

/** Groups the drop-offs into an open lot, all or none, for a processor of the program (`processor` role): each must be a confirmed drop-off of the program and material in no other lot. */
export async function formLot(deps: { sql: Sql; lookups: Lookups }, processor: Member, request: LotRequest): Promise<Lot> {
  const { programId, material, collectionIds } = request;
  const program = await deps.lookups.program(BigInt(programId));
  if (!program) throw notFound("RC_PROGRAM_NOT_FOUND", `no program ${programId}`);
  if (program.kind !== "recycling") throw badRequest("RC_PROGRAM_KIND", `program ${programId} is a ${program.kind} program`);
  if ((await deps.lookups.role(program.id, processor.id)) !== "processor") {
    throw forbidden("RC_NOT_PROGRAM_PROCESSOR", `this processor holds no processor role in program ${programId}`);
  }
  const ids = collectionIds.map(BigInt);
  return deps.sql.begin(async (tx) => {
    const refused = await ineligibleCollections(tx, { programId: program.id, material, collectionIds: ids });
    if (refused.length > 0) {
      throw new RecircleError(
        "RC_LOT_COLLECTIONS_INELIGIBLE",
        409,
        "some collections are not confirmed drop-offs of this program and material, or are in another lot",
        { collectionIds: refused.map(Number) },
      );
    }
    return insertLot(tx, { programId: program.id, processorId: processor.id, material, collectionIds: ids });
  });
}
