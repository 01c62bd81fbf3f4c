import { badRequest, notFound } from "../core/errors.js";
import type { Chain } from "../chain/network.js";
import { type JsonObject, liveChainWrite, recordChainWrite } from "../db/chain-writes.js";
import { recordAudit } from "../db/audit.js";
import { findMember, type Member } from "../db/members.js";
import { findProgram, grantProgramRole, type ProgramRole } from "../db/programs.js";
import type { Sql } from "../db/sql.js";
import type { ChainWriteKind } from "../engines/chain-write-kind.js";
import { settledWrite, type OperatorWriteDeps } from "./operator-write.js";

export interface Grant {
  programId: bigint;
  memberId: bigint;
  role: ProgramRole;
  txHash: string | null;
  /** False when the member held the role already. */
  created: boolean;
}

interface AcceptorPayload extends JsonObject {
  programId: string;
  memberId: string;
  token: string;
  account: string;
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
 * The subject of an acceptor's grant or revocation writes: one live write per subject, and a confirmed write stays
 * live, so each revocation starts a new generation and a grant after it is a write of its own.
 */
export async function acceptorSubject(sql: Sql, programId: bigint, memberId: bigint, next = false): Promise<string> {
  const [row] = await sql<{ revocations: bigint }[]>`
    select count(*)::bigint as revocations from chain_writes
    where kind = 'program.revoke-acceptor' and subject like ${`${programId}:${memberId}:%`} and status <> 'failed'`;
  const generation = Number(row!.revocations) + (next ? 1 : 0);
  return generation === 0 ? `${programId}:${memberId}` : `${programId}:${memberId}:${generation}`;
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
  const program = await findProgram(deps.sql, programId);
  if (!program) throw notFound("RC_PROGRAM_NOT_FOUND", `no program ${programId}`);
  const member = await findMember(deps.sql, memberId);
  if (!member) throw notFound("RC_MEMBER_NOT_FOUND", `no member ${memberId}`);
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
  async request(chain, payload) {
    const { token, account } = payload as AcceptorPayload;
    const contract = chain.token(token);
    return contract.grantRole.populateTransaction(await contract.ACCEPTOR_ROLE(), account);
  },
  async doneOnChain(chain, payload) {
    const { token, account } = payload as AcceptorPayload;
    const contract = chain.token(token);
    const role = await contract.ACCEPTOR_ROLE();
    if (!(await contract.hasRole(role, account))) return undefined;
    const logs = await contract.queryFilter(contract.filters.RoleGranted(role, account), chain.deployment.startBlock);
    const last = logs.at(-1);
    return last ? { hash: last.transactionHash, blockNumber: last.blockNumber, blockHash: last.blockHash, logs: [last] } : undefined;
  },
  async settle(tx, _chain, payload, mined) {
    const { programId, memberId } = payload as AcceptorPayload;
    const created = await grantProgramRole(tx, { programId: BigInt(programId), memberId: BigInt(memberId), role: "acceptor", txHash: mined.hash });
    return { created };
  },
};
