import { badRequest } from "../core/errors.js";
import type { Chain } from "../chain/network.js";
import { liveChainWrite, recordChainWrite } from "../db/chain-writes.js";
import { recordAudit } from "../db/audit.js";
import type { Member } from "../db/members.js";
import { grantProgramRole, type ProgramRole } from "../db/programs.js";
import type { Sql } from "../db/sql.js";
import type { ChainWriteKind } from "../engines/chain-write-kind.js";
import { type AcceptorPayload, acceptorRoleChange, acceptorSubject, programAndMember } from "./acceptor-role.js";
import { settledWrite, type OperatorWriteDeps } from "./operator-write.js";

export interface Grant {
  programId: bigint;
  memberId: bigint;
  role: ProgramRole;
  txHash: string | null;
  /** False when the member held the role already. */
  created: boolean;
}

/** A grant that is only a row (an issuer, a processor), written with its audit entry when it is new. */
async function grantRow(sql: Sql, admin: Member, grant: { programId: bigint; memberId: bigint; role: ProgramRole }): Promise<boolean> {
  return sql.begin(async (tx) => {
    const created = await grantProgramRole(tx, { ...grant, txHash: null });
    if (created) {
      await recordAudit(tx, {
        actorId: admin.id,
        action: "program.grant",
        subject: `program:${grant.programId}:member:${grant.memberId}`,
        before: null,
        after: { role: grant.role },
      });
    }
    return created;
  });
}

/**
 * Lets a collection point or brand issue for a program, or a processor form its lots (a row: checked by the API),
 * or a retailer accept its tokens (a row and the token's ACCEPTOR_ROLE, which a closed-loop token checks on every
 * transfer: recorded as an operator write, and the row is written when the grant is mined). Audited as
 * `program.grant`, in the transaction of the row or of the recorded write.
 */
export async function grantProgramRoleFlow(
  deps: OperatorWriteDeps & { chain: Chain },
  admin: Member,
  programId: bigint,
  memberId: bigint,
): Promise<Grant> {
  const { program, member } = await programAndMember(deps.sql, programId, memberId);
  const issuerKind = program.kind === "recycling" ? "collection_point" : "brand";
  const base = { programId: program.id, memberId: member.id };
  if (member.kind === issuerKind) return { ...base, role: "issuer", txHash: null, created: await grantRow(deps.sql, admin, { ...base, role: "issuer" }) };
  if (member.kind === "processor" && program.kind === "recycling") {
    return { ...base, role: "processor", txHash: null, created: await grantRow(deps.sql, admin, { ...base, role: "processor" }) };
  }
  if (member.kind !== "retailer") throw badRequest("RC_MEMBER_KIND_NOT_GRANTABLE", `a ${member.kind} cannot join a ${program.kind} program`);

  const token = deps.chain.token(program.token);
  if (await token.hasRole(await token.ACCEPTOR_ROLE(), member.address!)) {
    return { ...base, role: "acceptor", txHash: null, created: await grantRow(deps.sql, admin, { ...base, role: "acceptor" }) };
  }
  const payload: AcceptorPayload = { programId: String(program.id), memberId: String(member.id), token: program.token, account: member.address! };
  const subject = await acceptorSubject(deps.sql, program.id, member.id);
  const write = await deps.sql.begin(async (tx) => {
    const joined = await liveChainWrite(tx, GRANT_ACCEPTOR.kind, subject);
    const recorded = await recordChainWrite(tx, { kind: GRANT_ACCEPTOR.kind, subject, payload });
    if (!joined) {
      await recordAudit(tx, { actorId: admin.id, action: "program.grant", subject: `program:${program.id}:member:${member.id}`, before: null, after: { role: "acceptor", write: String(recorded.id) } });
    }
    return recorded;
  });
  const settled = await settledWrite(deps, write, `the grant of program ${program.id} to member ${member.id}`);
  return { ...base, role: "acceptor", txHash: settled.txHash, created: settled.result!.created === true };
}

export const GRANT_ACCEPTOR: ChainWriteKind = {
  kind: "program.grant-acceptor",
  errors: [],
  revertedCode: "RC_GRANT_REVERTED",
  ...acceptorRoleChange("grant"),
  async settle(tx, _chain, payload, mined) {
    const { programId, memberId } = payload as AcceptorPayload;
    const created = await grantProgramRole(tx, { programId: BigInt(programId), memberId: BigInt(memberId), role: "acceptor", txHash: mined.hash });
    return { created };
  },
};
