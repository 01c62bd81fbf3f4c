import { notFound } from "../core/errors.js";
import { changedTerms, sameTerms, type TermsChangeInput, termsJson } from "../core/terms-change.js";
import { recordAudit } from "../db/audit.js";
import type { Member } from "../db/members.js";
import { recordTermsChange, type TermsChange } from "../db/program-terms-history.js";
import { lockProgram, type Program, updateProgramTerms } from "../db/programs.js";
import type { Sql } from "../db/sql.js";
import type { Lookups } from "./lookups.js";

/**
 * Changes a program's terms: events accepted from now on earn by the new ones, while an event accepted before
 * keeps the credit it was accepted with (its row carries it; nothing is computed again). The change, its history
 * entry and its audit entry `program.terms` are one transaction; a change that changes nothing records nothing.
 */
export async function changeProgramTerms(
  deps: { sql: Sql; lookups: Lookups },
  admin: Member,
  programId: bigint,
  change: TermsChangeInput,
): Promise<{ program: Program; change: TermsChange | undefined }> {
  const result = await deps.sql.begin(async (tx) => {
    const program = await lockProgram(tx, programId);
    if (!program) throw notFound("RC_PROGRAM_NOT_FOUND", `no program ${programId}`);
    const after = changedTerms(program.kind, program, change);
    const [beforeJson, afterJson] = [termsJson(program), termsJson(after)];
    if (sameTerms(beforeJson, afterJson)) return { program, change: undefined };
    const updated = await updateProgramTerms(tx, program.id, after);
    const recorded = await recordTermsChange(tx, { programId: program.id, actorId: admin.id, before: beforeJson, after: afterJson });
    await recordAudit(tx, {
      actorId: admin.id,
      action: "program.terms",
      subject: `program:${program.id}`,
      before: { ...beforeJson },
      after: { ...afterJson, change: String(recorded.id) },
    });
    return { program: updated, change: recorded };
  });
  // This process earns by the new terms from the next event on; other API processes within the lookups' TTL.
  deps.lookups.forgetProgram(programId);
  return result;
}
