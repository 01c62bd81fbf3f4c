import type { Chain } from "../chain/network.js";
import { notFound } from "../core/errors.js";
import type { JsonObject } from "../db/chain-writes.js";
import { findMember } from "../db/members.js";
import { findProgram } from "../db/programs.js";
import type { Sql } from "../db/sql.js";
import type { ChainWriteKind } from "../engines/chain-write-kind.js";
import { newestLogSince } from "../chain/logs-in-ranges.js";

/**
 * A retailer's ACCEPTOR_ROLE on a program's token, granted (grant-program-role.ts) or revoked
 * (revoke-program-role.ts) as an operator write: what both record, and how each is sent and found done.
 */
export interface AcceptorPayload extends JsonObject {
  programId: string;
  memberId: string;
  token: string;
  account: string;
}

/** The program and the member a grant or a revocation names: 404 RC_PROGRAM_NOT_FOUND or RC_MEMBER_NOT_FOUND. */
export async function programAndMember(sql: Sql, programId: bigint, memberId: bigint) {
  const program = await findProgram(sql, programId);
  if (!program) throw notFound("RC_PROGRAM_NOT_FOUND", `no program ${programId}`);
  const member = await findMember(sql, memberId);
  if (!member) throw notFound("RC_MEMBER_NOT_FOUND", `no member ${memberId}`);
  return { program, member };
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
 * The transaction of a grant or a revocation of the role, and where the chain shows it done already: the account
 * holds the role (a grant) or no longer does (a revocation), landed where the last such change of it was logged.
 */
export function acceptorRoleChange(change: "grant" | "revoke"): Required<Pick<ChainWriteKind, "request" | "doneOnChain">> {
  const granting = change === "grant";
  return {
    async request(chain: Chain, payload: JsonObject) {
      const { token, account } = payload as AcceptorPayload;
      const contract = chain.token(token);
      const role = await contract.ACCEPTOR_ROLE();
      return granting ? contract.grantRole.populateTransaction(role, account) : contract.revokeRole.populateTransaction(role, account);
    },
    async doneOnChain(chain: Chain, payload: JsonObject) {
      const { token, account } = payload as AcceptorPayload;
      const contract = chain.token(token);
      const role = await contract.ACCEPTOR_ROLE();
      if ((await contract.hasRole(role, account)) !== granting) return undefined;
      const filter = granting ? contract.filters.RoleGranted(role, account) : contract.filters.RoleRevoked(role, account);
      const last = await newestLogSince(chain, chain.deployment.startBlock, (from, to) => contract.queryFilter(filter, from, to));
      return last ? { hash: last.transactionHash, blockNumber: last.blockNumber, blockHash: last.blockHash, logs: [last] } : undefined;
    },
  };
}
