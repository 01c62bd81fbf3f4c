import { conflict } from "../core/errors.js";
import type { Chain } from "../chain/network.js";
import { recordAudit } from "../db/audit.js";
import { recordChainWrite } from "../db/chain-writes.js";
import type { Member } from "../db/members.js";
import { revokeProgramRole, type ProgramRole } from "../db/programs.js";
import type { ChainWriteKind } from "../engines/chain-write-kind.js";
import { type AcceptorPayload, acceptorRoleChange, acceptorSubject, programAndMember } from "./acceptor-role.js";
import type { Lookups } from "./lookups.js";
import { settledWrite, type OperatorWriteDeps } from "./operator-write.js";

export interface Revocation {
  programId: bigint;
  memberId: bigint;
  role: ProgramRole;
  /** The on-chain revocation of a retailer's ACCEPTOR_ROLE; null for a role that is only a row. */
  txHash: string | null;
}

/**
 * Takes a member's role in a program away: the row at once (the API refuses the member's next event, lot or
 * payment for the program), with its audit entry `program.revoke`; for a retailer also the token's ACCEPTOR_ROLE,
 * recorded in the same transaction as an operator write and answered once it is mined. Asked again after the chain
 * refused that write, it sends a new one for the role the token still holds.
 */
export async function revokeProgramRoleFlow(
  deps: OperatorWriteDeps & { chain: Chain; lookups: Lookups },
  admin: Member,
  programId: bigint,
  memberId: bigint,
): Promise<Revocation> {
  const { program, member } = await programAndMember(deps.sql, programId, memberId);
  const subject = await acceptorSubject(deps.sql, program.id, member.id, true);
  // A retailer whose row is gone but whose token role is not (an earlier revocation the chain refused): finish it.
  const token = deps.chain.token(program.token);
  const onChainOnly =
    member.kind === "retailer" && member.address !== null && (await token.hasRole(await token.ACCEPTOR_ROLE(), member.address));
  const revoked = await deps.sql.begin(async (tx) => {
    const row = await revokeProgramRole(tx, program.id, member.id);
    const role = row ?? (onChainOnly ? "acceptor" : undefined);
    if (!role) throw conflict("RC_ROLE_NOT_HELD", `member ${member.id} holds no role in program ${program.id}`);
    await recordAudit(tx, {
      actorId: admin.id,
      action: "program.revoke",
      subject: `program:${program.id}:member:${member.id}`,
      before: row ? { role } : { role, onChainOnly: true },
      after: null,
    });
    if (role !== "acceptor" || !member.address) return { role, write: undefined };
    const payload: AcceptorPayload = { programId: String(program.id), memberId: String(member.id), token: program.token, account: member.address };
    return { role, write: await recordChainWrite(tx, { kind: REVOKE_ACCEPTOR.kind, subject, payload }) };
  });
  deps.lookups.forgetRole(program.id, member.id);
  const base = { programId: program.id, memberId: member.id, role: revoked.role };
  if (!revoked.write) return { ...base, txHash: null };
  const settled = await settledWrite(deps, revoked.write, `the revocation of member ${member.id} from program ${program.id}`);
  return { ...base, txHash: settled.txHash };
}

export const REVOKE_ACCEPTOR: ChainWriteKind = {
  kind: "program.revoke-acceptor",
  errors: [],
  revertedCode: "RC_REVOKE_REVERTED",
  ...acceptorRoleChange("revoke"),
  // The row went with the decision; the chain follows.
  async settle(_tx, _chain, payload) {
    return { programId: (payload as AcceptorPayload).programId };
  },
};
