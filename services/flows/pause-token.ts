import { conflict, notFound } from "../core/errors.js";
import type { Chain } from "../chain/network.js";
import { recordAudit } from "../db/audit.js";
import { type ChainWrite, findChainWrite, type JsonObject, recordChainWrite } from "../db/chain-writes.js";
import type { Member } from "../db/members.js";
import { lockProgram, setProgramPaused } from "../db/programs.js";
import type { TransactionSql } from "../db/sql.js";
import type { ChainWriteKind } from "../engines/chain-write-kind.js";
import { RewardToken__factory } from "../../types/ethers-contracts/index.js";
import { settledWrite, type OperatorWriteDeps } from "./operator-write.js";
import { newestLogSince } from "../chain/logs-in-ranges.js";

export interface PauseOutcome {
  programId: bigint;
  paused: boolean;
  /** The pause or unpause transaction; null when the token was so already and nothing was sent. */
  txHash: string | null;
}

interface PausePayload extends JsonObject {
  programId: string;
  token: string;
  paused: boolean;
}

const TOKEN = RewardToken__factory.createInterface();

/**
 * Pauses or unpauses a program's token on chain: while paused it refuses every mint, transfer, payment and
 * redemption (RewardToken's whenNotPaused), so the mint batcher and the payment worker hold its rows, unsent.
 * Sent by the operator's key through the one sender, which must hold the token's PAUSER_ROLE: a factory deployed
 * as contracts/ProgramFactory.sol gives that role to governance, which grants it to the operator (or makes the
 * operator the factory's pauser for new programs); until then the answer is a 409 that says so, and nothing is
 * recorded. The write and its audit entry (`program.pause`, `program.unpause`) are one transaction; the programs
 * list shows the state once the transaction is in a block.
 */
export async function setTokenPaused(
  deps: OperatorWriteDeps & { chain: Chain },
  admin: Member,
  programId: bigint,
  paused: boolean,
): Promise<PauseOutcome> {
  const what = paused ? "pause" : "unpause";
  const recorded = await deps.sql.begin(async (tx) => {
    // Locked: one pause or unpause of a program is decided at a time.
    const program = await lockProgram(tx, programId);
    if (!program) throw notFound("RC_PROGRAM_NOT_FOUND", `no program ${programId}`);
    const pending = await pendingPauseWrite(tx, program.id);
    if (pending) {
      if ((pending.payload as PausePayload).paused === paused) return pending;
      throw conflict("RC_PAUSE_PENDING", `the ${paused ? "unpause" : "pause"} of program ${program.id}'s token is still under way`);
    }
    const token = deps.chain.token(program.token);
    if ((await token.paused()) === paused) {
      // Already so on chain (governance may act directly): the row follows, nothing is sent.
      if (program.paused !== paused) await setProgramPaused(tx, program.id, paused, null);
      return undefined;
    }
    if (!(await token.hasRole(await token.PAUSER_ROLE(), deps.chain.deployment.operator))) {
      throw conflict(
        "RC_OPERATOR_NOT_PAUSER",
        `the operator's key does not hold PAUSER_ROLE on program ${program.id}'s token: governance grants it (token.grantRole) first`,
      );
    }
    const payload: PausePayload = { programId: String(program.id), token: program.token, paused };
    const write = await recordChainWrite(tx, { kind: PAUSE_TOKEN.kind, subject: `${program.id}:${await pauseWritesOf(tx, program.id)}`, payload });
    await recordAudit(tx, {
      actorId: admin.id,
      action: `program.${what}`,
      subject: `program:${program.id}`,
      before: { paused: !paused },
      after: { paused, write: String(write.id) },
    });
    return write;
  });
  if (!recorded) return { programId, paused, txHash: null };
  const settled = await settledWrite(deps, recorded, `the ${what} of program ${programId}'s token`);
  return { programId, paused, txHash: settled.txHash };
}

/** A pause or unpause of the program recorded but not yet in a block: a retry joins it instead of sending another. */
async function pendingPauseWrite(tx: TransactionSql, programId: bigint): Promise<ChainWrite | undefined> {
  const [row] = await tx<{ id: bigint }[]>`
    select id from chain_writes
    where kind = ${PAUSE_TOKEN.kind} and subject like ${`${programId}:%`} and status in ('queued', 'submitted')
    order by id desc limit 1`;
  return row ? findChainWrite(tx, row.id) : undefined;
}

/**
 * The subject of the next pause or unpause write of a program: one live write per subject and a mined write stays
 * live, so each is numbered after the program's earlier ones that the chain did not refuse.
 */
async function pauseWritesOf(tx: TransactionSql, programId: bigint): Promise<number> {
  const [row] = await tx<{ writes: bigint }[]>`
    select count(*)::bigint as writes from chain_writes
    where kind = ${PAUSE_TOKEN.kind} and subject like ${`${programId}:%`} and status <> 'failed'`;
  return Number(row!.writes) + 1;
}

export const PAUSE_TOKEN: ChainWriteKind = {
  kind: "program.pause",
  errors: [TOKEN],
  revertedCode: "RC_PAUSE_REVERTED",
  request(chain, payload) {
    const { token, paused } = payload as PausePayload;
    const contract = chain.token(token);
    return paused ? contract.pause.populateTransaction() : contract.unpause.populateTransaction();
  },
  async doneOnChain(chain, payload) {
    const { token, paused } = payload as PausePayload;
    const contract = chain.token(token);
    if ((await contract.paused()) !== paused) return undefined;
    const filter = paused ? contract.filters.Paused() : contract.filters.Unpaused();
    const last = await newestLogSince(chain, chain.deployment.startBlock, (from, to) => contract.queryFilter(filter, from, to));
    return last ? { hash: last.transactionHash, blockNumber: last.blockNumber, blockHash: last.blockHash, logs: [last] } : undefined;
  },
  async settle(tx, _chain, payload, mined) {
    const { programId, paused } = payload as PausePayload;
    await setProgramPaused(tx, BigInt(programId), paused, mined.hash);
    return { programId, paused };
  },
  // Taken out of the chain by a reorganisation: the token is as it was until the write lands again.
  async reopen(tx, payload) {
    const { programId, paused } = payload as PausePayload;
    await setProgramPaused(tx, BigInt(programId), !paused, null);
  },
};
