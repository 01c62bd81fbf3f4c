import { badRequest, notFound } from "../core/errors.js";
import type { Chain } from "../chain/network.js";
import { type JsonObject, recordChainWrite } from "../db/chain-writes.js";
import { findMember } from "../db/members.js";
import { findProgram, grantProgramRole, type ProgramRole } from "../db/programs.js";
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

/**
 * Lets a collection point or brand issue for a program (a row: issuing is checked by the API), or a retailer
 * accept its tokens (a row and the token's ACCEPTOR_ROLE, which a closed-loop token checks on every transfer:
 * recorded as an operator write, and the row is written when the grant is mined).
 */
export async function grantProgramRoleFlow(
  deps: OperatorWriteDeps & { chain: Chain },
  programId: bigint,
  memberId: bigint,
): Promise<Grant> {
  const program = await findProgram(deps.sql, programId);
  if (!program) throw notFound("RC_PROGRAM_NOT_FOUND", `no program ${programId}`);
  const member = await findMember(deps.sql, memberId);
  if (!member) throw notFound("RC_MEMBER_NOT_FOUND", `no member ${memberId}`);
  const issuerKind = program.kind === "recycling" ? "collection_point" : "brand";
  const base = { programId: program.id, memberId: member.id };
  if (member.kind === issuerKind) {
    return { ...base, role: "issuer", txHash: null, created: await grantProgramRole(deps.sql, { ...base, role: "issuer", txHash: null }) };
  }
  if (member.kind !== "retailer") throw badRequest("RC_MEMBER_KIND_NOT_GRANTABLE", `a ${member.kind} cannot join a ${program.kind} program`);

  const token = deps.chain.token(program.token);
  if (await token.hasRole(await token.ACCEPTOR_ROLE(), member.address!)) {
    return { ...base, role: "acceptor", txHash: null, created: await grantProgramRole(deps.sql, { ...base, role: "acceptor", txHash: null }) };
  }
  const payload: AcceptorPayload = { programId: String(program.id), memberId: String(member.id), token: program.token, account: member.address! };
  const write = await recordChainWrite(deps.sql, { kind: GRANT_ACCEPTOR.kind, subject: `${program.id}:${member.id}`, payload });
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
    return last ? { hash: last.transactionHash, blockNumber: last.blockNumber, logs: [last] } : undefined;
  },
  async settle(tx, _chain, payload, mined) {
    const { programId, memberId } = payload as AcceptorPayload;
    const created = await grantProgramRole(tx, { programId: BigInt(programId), memberId: BigInt(memberId), role: "acceptor", txHash: mined.hash });
    return { created };
  },
};
