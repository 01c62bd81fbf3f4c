import { randomUUID } from "node:crypto";
import { parseDecimal } from "../core/amounts.js";
import { PHONE_COUNTRY, phoneCountry } from "../core/phone-number.js";
import { programTerms, type ProgramTermsInput } from "../core/program-terms.js";
import type { Chain } from "../chain/network.js";
import { recordAudit } from "../db/audit.js";
import { type JsonObject, recordChainWrite } from "../db/chain-writes.js";
import type { Member } from "../db/members.js";
import { findProgram, insertProgram, type Program } from "../db/programs.js";
import type { ChainWriteKind } from "../engines/chain-write-kind.js";
import { settledWrite, type OperatorWriteDeps } from "./operator-write.js";

export interface CreateProgramRequest extends ProgramTermsInput {
  name: string;
  symbol: string;
  closedLoop?: boolean;
  redemptionRate?: string;
  /** Where it runs (ISO 3166-1 alpha-2): local phone numbers for its drop-offs are read in this country. Default "ID". */
  phoneCountry?: string;
}

interface CreateProgramPayload extends JsonObject {
  /** The request as the API admitted it: its terms are read again, the same way, when the chain answers. */
  request: JsonObject;
  /** The redemption rate in the stablecoin's base units. */
  rate: string;
}

/**
 * Creates a program: the request is checked, then recorded as an operator write that clones its token on
 * chain; the program's row is written from the ProgramCreated log, in the transaction that settles the write.
 */
export async function createProgram(
  deps: OperatorWriteDeps & { stablecoinDecimals: number },
  admin: Member,
  request: CreateProgramRequest,
): Promise<Program> {
  programTerms(request);
  if (request.phoneCountry !== undefined) phoneCountry(request.phoneCountry);
  const rate = request.redemptionRate ? parseDecimal(request.redemptionRate, deps.stablecoinDecimals, "redemptionRate") : 0n;
  const payload: CreateProgramPayload = { request: request as unknown as JsonObject, rate: String(rate) };
  const write = await deps.sql.begin(async (tx) => {
    // Every creation request is a program of its own: nothing on chain tells two alike apart.
    const recorded = await recordChainWrite(tx, { kind: CREATE_PROGRAM.kind, subject: randomUUID(), payload });
    // The program has no id until the chain answers: the entry names the write that creates it.
    await recordAudit(tx, { actorId: admin.id, action: "program.create", subject: `write:${recorded.id}`, before: null, after: payload });
    return recorded;
  });
  const settled = await settledWrite(deps, write, `program ${request.symbol}`);
  return (await findProgram(deps.sql, BigInt(settled.result!.programId as string)))!;
}

export const CREATE_PROGRAM: ChainWriteKind = {
  kind: "program.create",
  errors: [],
  revertedCode: "RC_PROGRAM_CREATION_REVERTED",
  request(chain, payload) {
    const { request, rate } = payload as CreateProgramPayload;
    const { name, symbol, closedLoop } = request as unknown as CreateProgramRequest;
    return chain.factory.createProgram.populateTransaction(name, symbol, closedLoop ?? false, BigInt(rate));
  },
  async settle(tx, chain: Chain, payload, mined) {
    const { request, rate } = payload as CreateProgramPayload;
    const body = request as unknown as CreateProgramRequest;
    const factory = chain.deployment.contracts.factory.toLowerCase();
    const created = mined.logs
      .filter((log) => log.address.toLowerCase() === factory)
      .map((log) => chain.factory.interface.parseLog(log))
      .find((parsed) => parsed?.name === "ProgramCreated");
    if (!created) throw new Error(`createProgram ${mined.hash} emitted no ProgramCreated`);
    const program = await insertProgram(tx, {
      chainProgramId: created.args.programId as bigint,
      token: created.args.token as string,
      name: body.name,
      symbol: body.symbol,
      kind: body.kind,
      closedLoop: body.closedLoop ?? false,
      redemptionRate: BigInt(rate),
      ...programTerms(body),
      bonusShareBps: body.bonusShareBps ?? 0,
      createdTx: mined.hash,
      phoneCountry: body.phoneCountry ?? PHONE_COUNTRY,
    });
    return { programId: String(program.id) };
  },
};
