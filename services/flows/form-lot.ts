import { badRequest, notFound, RecircleError } from "../core/errors.js";
import { type Lot, ineligibleCollections, insertLot } from "../db/lots.js";
import type { Member } from "../db/members.js";
import type { Sql } from "../db/sql.js";
import type { Lookups } from "./lookups.js";

/** A processor's lot: confirmed drop-offs of one recycling program and material. */
export interface LotRequest {
  programId: number;
  material: string;
  collectionIds: number[];
}

/** Groups the drop-offs into an open lot, all or none: each must be a confirmed drop-off of the program and material in no other lot. */
export async function formLot(deps: { sql: Sql; lookups: Lookups }, processor: Member, request: LotRequest): Promise<Lot> {
  const { programId, material, collectionIds } = request;
  const program = await deps.lookups.program(BigInt(programId));
  if (!program) throw notFound("RC_PROGRAM_NOT_FOUND", `no program ${programId}`);
  if (program.kind !== "recycling") throw badRequest("RC_PROGRAM_KIND", `program ${programId} is a ${program.kind} program`);
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
