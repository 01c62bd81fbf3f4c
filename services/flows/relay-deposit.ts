import { Contract, getAddress, Signature, verifyTypedData, type TypedDataDomain } from "ethers";
import { DEPOSIT_TYPES, PERMIT_TOKEN_ABI, vaultDomain } from "../chain/deposit-signatures.js";
import { PERMIT_TYPES } from "../chain/eip2612.js";
import type { Chain } from "../chain/network.js";
import { revertDataOf, revertReason } from "../chain/revert-reason.js";
import { parseDecimal } from "../core/amounts.js";
import { badRequest, notFound } from "../core/errors.js";
import { type JsonObject, recordChainWrite } from "../db/chain-writes.js";
import type { Member } from "../db/members.js";
import { findProgram } from "../db/programs.js";
import type { ChainWriteKind } from "../engines/chain-write-kind.js";
import { SponsorVault__factory, TestStablecoin__factory } from "../../types/ethers-contracts/index.js";
import { settledWrite, type OperatorWriteDeps } from "./operator-write.js";
import { newestLogSince } from "../chain/logs-in-ranges.js";

export type RelayDepositDeps = OperatorWriteDeps & { chain: Chain; stablecoinDecimals: number };

/** A sponsor's deposit request, as the API admits it. */
export interface DepositRequest {
  programId: number;
  amount: string;
  deadline: number;
  permitSignature: string;
  depositSignature: string;
}

interface DepositPayload extends JsonObject {
  token: string;
  sponsor: string;
  amount: string;
  deadline: string;
  v: number;
  r: string;
  s: string;
  depositSignature: string;
  /** The vault's nonce the deposit signature is for: once the vault's nonce is past it, the signature is spent. */
  depositNonce: string;
}

/** The signer of `signature` over the typed data, or undefined when it is malformed (the contracts refuse it too). */
function signerOf(domain: TypedDataDomain, types: Record<string, { name: string; type: string }[]>, value: object, signature: string) {
  try {
    return verifyTypedData(domain, types, value, signature);
  } catch {
    return undefined;
  }
}

/**
 * Checks both signatures against the sponsor's address and the nonces the contracts will use, dry-runs the
 * deposit so a refusal (balance, minimum, unknown program) is a 400 with the vault's reason rather than a
 * reverted transaction, then records it as an operator write and answers once it is in a block (`status`
 * says whether CHAIN_CONFIRMATIONS blocks stand on it yet).
 */
export async function relayDeposit(deps: RelayDepositDeps, member: Member, body: DepositRequest) {
  if (!member.address) throw badRequest("RC_SPONSOR_WITHOUT_ADDRESS", "this sponsor has no chain address to deposit from");
  const sponsor = getAddress(member.address);
  const program = await findProgram(deps.sql, BigInt(body.programId));
  if (!program) throw notFound("RC_PROGRAM_NOT_FOUND", `no program ${body.programId}`);
  const amount = parseDecimal(body.amount, deps.stablecoinDecimals);
  if (amount === 0n) throw badRequest("RC_INVALID_AMOUNT", "a deposit is more than nothing");
  if (body.deadline <= Math.floor(Date.now() / 1000)) throw badRequest("RC_SIGNATURE_EXPIRED", "the deadline has passed");
  const payload = await checkedDeposit(deps.chain, { sponsor, token: program.token, amount, deadline: BigInt(body.deadline) }, body);
  // The vault's nonce makes the deposit signature single-use: one live write per sponsor and nonce.
  const write = await recordChainWrite(deps.sql, { kind: RELAY_DEPOSIT.kind, subject: `${sponsor}:${payload.depositNonce}`, payload });
  const settled = await settledWrite(deps, write, `the deposit of ${sponsor} at vault nonce ${payload.depositNonce}`, (code) =>
    badRequest(code, "the vault refuses this deposit"),
  );
  return {
    depositId: Number(settled.result!.depositId),
    programId: Number(program.id),
    program: program.token,
    sponsor,
    amount: BigInt(settled.result!.amount as string),
    txHash: settled.txHash!,
    blockNumber: Number(settled.blockNumber),
    status: settled.status as "included" | "confirmed",
  };
}

/** The relay's arguments, once both signatures are the sponsor's at the contracts' next nonces and the vault would take it. */
async function checkedDeposit(
  chain: Chain,
  deposit: { sponsor: string; token: string; amount: bigint; deadline: bigint },
  body: DepositRequest,
): Promise<DepositPayload> {
  const { sponsor, amount, deadline } = deposit;
  const { vault, deployment } = chain;
  const stablecoin = new Contract(deployment.contracts.stablecoin, PERMIT_TOKEN_ABI, chain.provider);
  const [domainFields, permitNonce, depositNonce] = await Promise.all([
    stablecoin.getFunction("eip712Domain")() as Promise<[string, string, string, bigint, string]>,
    stablecoin.getFunction("nonces")(sponsor) as Promise<bigint>,
    vault.nonces(sponsor),
  ]);
  const [, name, version, chainId, verifyingContract] = domainFields;
  const permit = { owner: sponsor, spender: deployment.contracts.vault, value: amount, nonce: permitNonce, deadline };
  if (signerOf({ name, version, chainId, verifyingContract }, PERMIT_TYPES, permit, body.permitSignature) !== sponsor) {
    throw badRequest("RC_INVALID_PERMIT", `the permit is not the sponsor's permit of this amount to the vault at nonce ${permitNonce}`);
  }
  const authorization = { sponsor, program: deposit.token, amount, nonce: depositNonce, deadline };
  const domain = vaultDomain(BigInt(chain.chainId), deployment.contracts.vault);
  if (signerOf(domain, DEPOSIT_TYPES, authorization, body.depositSignature) !== sponsor) {
    throw badRequest("RC_INVALID_DEPOSIT_SIGNATURE", `the deposit signature is not the sponsor's at vault nonce ${depositNonce}`);
  }

  const { v, r, s } = Signature.from(body.permitSignature);
  const args = [deposit.token, sponsor, amount, deadline, v, r, s, body.depositSignature] as const;
  try {
    await vault.depositWithPermit.staticCall(...args);
  } catch (error) {
    // The test stablecoin's interface stands for any OpenZeppelin token's ERC-6093 errors (balance, allowance).
    const code = revertReason(revertDataOf(error), DEPOSIT_ERRORS, "RC_DEPOSIT_REFUSED");
    throw badRequest(code, "the vault refuses this deposit");
  }
  return {
    token: deposit.token,
    sponsor,
    amount: String(amount),
    deadline: String(deadline),
    v,
    r,
    s,
    depositSignature: body.depositSignature,
    depositNonce: String(depositNonce),
  };
}

const DEPOSIT_ERRORS = [SponsorVault__factory.createInterface(), TestStablecoin__factory.createInterface()];

export const RELAY_DEPOSIT: ChainWriteKind = {
  kind: "deposit.relay",
  errors: DEPOSIT_ERRORS,
  revertedCode: "RC_DEPOSIT_REVERTED",
  request(chain, payload) {
    const p = payload as DepositPayload;
    return chain.vault.depositWithPermit.populateTransaction(
      p.token, p.sponsor, BigInt(p.amount), BigInt(p.deadline), p.v, p.r, p.s, p.depositSignature,
    );
  },
  async doneOnChain(chain, payload) {
    const p = payload as DepositPayload;
    if ((await chain.vault.nonces(p.sponsor)) <= BigInt(p.depositNonce)) return undefined;
    // Spent: by this write under a hash it lost, or by anyone who relayed the same signatures. Either way the
    // deposit is the one whose transaction carries this signature.
    const filter = chain.vault.filters.Deposited(undefined, p.token, p.sponsor);
    const signature = p.depositSignature.slice(2).toLowerCase();
    const log = await newestLogSince(
      chain,
      chain.deployment.startBlock,
      (from, to) => chain.vault.queryFilter(filter, from, to),
      async (candidate) => (await chain.provider.getTransaction(candidate.transactionHash))?.data.toLowerCase().includes(signature) ?? false,
    );
    return log && { hash: log.transactionHash, blockNumber: log.blockNumber, blockHash: log.blockHash, logs: [log] };
  },
  async settle(_tx, chain, _payload, mined) {
    const vault = chain.deployment.contracts.vault.toLowerCase();
    const log = mined.logs
      .map((entry) => (entry.address.toLowerCase() === vault ? chain.vault.interface.parseLog(entry) : null))
      .find((parsed) => parsed?.name === "Deposited");
    if (!log) throw new Error(`deposit transaction ${mined.hash} has no Deposited log`);
    return { depositId: String(log.args.depositId), amount: String(log.args.amount) };
  },
};
