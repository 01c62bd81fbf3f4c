import { getAddress, verifyTypedData, ZeroAddress } from "ethers";
import { vaultDomain } from "../chain/deposit-signatures.js";
import type { Chain } from "../chain/network.js";
import { revertDataOf, revertReason } from "../chain/revert-reason.js";
import { ANNOUNCE_WITHDRAWAL_TYPES, CANCEL_WITHDRAWAL_TYPES, type WithdrawalAction } from "../chain/withdrawal-signatures.js";
import { badRequest, conflict, forbidden, notFound } from "../core/errors.js";
import { type JsonObject, recordChainWrite } from "../db/chain-writes.js";
import type { Member } from "../db/members.js";
import type { ChainWriteKind, Mined } from "../engines/chain-write-kind.js";
import { SponsorVault__factory } from "../../types/ethers-contracts/index.js";
import { settledWrite, type OperatorWriteDeps } from "./operator-write.js";
import { newestLogSince } from "../chain/logs-in-ranges.js";

/**
 * A sponsor's withdrawal with notice of what is left of a deposit (issue 13 §6): announced and cancelled with
 * the sponsor's EIP-712 signature, withdrawn once the program's notice has passed; the operator relays all
 * three through its one sender, so sponsors need no gas.
 */
export type WithdrawalDeps = OperatorWriteDeps & { chain: Chain };

/** The sponsor's signature of AnnounceWithdrawal or CancelWithdrawal at its next vault nonce. */
export interface WithdrawalRequest {
  deadline: number;
  signature: string;
}

interface SignedPayload extends JsonObject {
  depositId: string;
  sponsor: string;
  deadline: string;
  signature: string;
  /** The vault nonce the signature is for: once the vault's nonce is past it, the signature is spent. */
  nonce: string;
}

const VAULT_ERRORS = [SponsorVault__factory.createInterface()];
/** Vault refusals that are about the deposit's state (409), not about the request (400). */
const STATE_REFUSALS = new Set([
  "RC_VAULT_WITHDRAWAL_ALREADY_ANNOUNCED",
  "RC_VAULT_WITHDRAWAL_NOT_ANNOUNCED",
  "RC_VAULT_DEPOSIT_WITHDRAWN",
  "RC_VAULT_NOTHING_TO_WITHDRAW",
  "RC_VAULT_WITHDRAWAL_NOT_DUE",
  "RC_ENFORCED_PAUSE",
]);
const refusal = (code: `RC_${string}`, what: string) =>
  STATE_REFUSALS.has(code) ? conflict(code, `the vault refuses ${what}`) : badRequest(code, `the vault refuses ${what}`);

/** The deposit on chain, if the member may act on it: its sponsor, or an admin when `admins` allows. */
async function ownDeposit(chain: Chain, member: Member, depositId: number, admins: boolean) {
  const deposit = await chain.vault.getDeposit(depositId);
  if (deposit.sponsor === ZeroAddress) throw notFound("RC_DEPOSIT_NOT_FOUND", `no deposit ${depositId}`);
  const isAdmin = admins && member.kind === "admin";
  if (!isAdmin && (!member.address || getAddress(member.address) !== deposit.sponsor)) {
    throw forbidden("RC_NOT_YOUR_DEPOSIT", `deposit ${depositId} is another sponsor's`);
  }
  return deposit;
}

/** A deposit as the vault holds it now, with its withdrawal, its program's notice period and the sponsor's next nonce. */
export async function readDepositWithdrawal(deps: WithdrawalDeps, member: Member, depositId: number) {
  const { vault } = deps.chain;
  const deposit = await ownDeposit(deps.chain, member, depositId, true);
  const [withdrawal, noticePeriod, nonce] = await Promise.all([
    vault.getWithdrawal(depositId),
    vault.noticePeriod(deposit.program),
    vault.nonces(deposit.sponsor),
  ]);
  const status = withdrawal.withdrawn ? "withdrawn" : withdrawal.withdrawableAt !== 0n ? "announced" : "none";
  return {
    depositId,
    program: deposit.program,
    sponsor: deposit.sponsor,
    amount: deposit.amount,
    remaining: deposit.remaining,
    noticePeriodSeconds: Number(noticePeriod),
    nonce: Number(nonce),
    withdrawal: {
      status: status as "none" | "announced" | "withdrawn",
      withdrawableAt: withdrawal.withdrawableAt === 0n ? null : new Date(Number(withdrawal.withdrawableAt) * 1000).toISOString(),
    },
  };
}

/** Announces the withdrawal of what is left of `depositId`, relayed with the sponsor's signature. */
export async function announceWithdrawal(deps: WithdrawalDeps, member: Member, depositId: number, body: WithdrawalRequest) {
  const settled = await relaySigned(deps, member, depositId, body, "announce");
  return { ...settled, withdrawableAt: new Date(Number(settled.result.withdrawableAt) * 1000).toISOString() };
}

/** Cancels the announced withdrawal of `depositId`, relayed with the sponsor's signature. */
export function cancelWithdrawal(deps: WithdrawalDeps, member: Member, depositId: number, body: WithdrawalRequest) {
  return relaySigned(deps, member, depositId, body, "cancel");
}

async function relaySigned(deps: WithdrawalDeps, member: Member, depositId: number, body: WithdrawalRequest, action: WithdrawalAction) {
  const { chain } = deps;
  const deposit = await ownDeposit(chain, member, depositId, false);
  const sponsor = deposit.sponsor;
  if (body.deadline <= Math.floor(Date.now() / 1000)) throw badRequest("RC_SIGNATURE_EXPIRED", "the deadline has passed");
  const nonce = await chain.vault.nonces(sponsor);
  const types = action === "announce" ? ANNOUNCE_WITHDRAWAL_TYPES : CANCEL_WITHDRAWAL_TYPES;
  const message = { sponsor, depositId, nonce, deadline: body.deadline };
  let signer: string | undefined;
  try {
    signer = verifyTypedData(vaultDomain(BigInt(chain.chainId), chain.deployment.contracts.vault), types, message, body.signature);
  } catch {
    signer = undefined;
  }
  if (signer !== sponsor) {
    throw badRequest("RC_INVALID_WITHDRAWAL_SIGNATURE", `the signature is not the sponsor's ${Object.keys(types)[0]} of deposit ${depositId} at vault nonce ${nonce}`);
  }
  const what = `the ${action === "announce" ? "announcement" : "cancellation"} of deposit ${depositId}'s withdrawal`;
  const call = action === "announce" ? chain.vault.announceWithdrawalBySig : chain.vault.cancelWithdrawalBySig;
  try {
    await call.staticCall(depositId, body.deadline, body.signature);
  } catch (error) {
    throw refusal(revertReason(revertDataOf(error), VAULT_ERRORS, "RC_WITHDRAWAL_REFUSED"), what);
  }
  const payload: SignedPayload = { depositId: String(depositId), sponsor, deadline: String(body.deadline), signature: body.signature, nonce: String(nonce) };
  const kind = action === "announce" ? ANNOUNCE_WITHDRAWAL : CANCEL_WITHDRAWAL;
  // The vault's nonce makes the signature single-use: one live write per sponsor and nonce.
  const write = await recordChainWrite(deps.sql, { kind: kind.kind, subject: `${sponsor}:${nonce}`, payload });
  const settled = await settledWrite(deps, write, what, (code) => refusal(code, what));
  return {
    depositId,
    txHash: settled.txHash!,
    blockNumber: Number(settled.blockNumber),
    status: settled.status as "included" | "confirmed",
    result: settled.result!,
  };
}

/**
 * Withdraws what is left of `depositId` to its sponsor once the notice has passed. The sponsor (or an admin)
 * asks; the vault lets anyone send it, since the money can only go to the sponsor.
 */
export async function withdrawDeposit(deps: WithdrawalDeps, member: Member, depositId: number) {
  const { chain } = deps;
  await ownDeposit(chain, member, depositId, true);
  const what = `the withdrawal of deposit ${depositId}`;
  try {
    await chain.vault.withdraw.staticCall(depositId);
  } catch (error) {
    throw refusal(revertReason(revertDataOf(error), VAULT_ERRORS, "RC_WITHDRAWAL_REFUSED"), what);
  }
  const write = await recordChainWrite(deps.sql, { kind: WITHDRAW_DEPOSIT.kind, subject: String(depositId), payload: { depositId: String(depositId) } });
  const settled = await settledWrite(deps, write, what, (code) => refusal(code, what));
  return {
    depositId,
    amount: BigInt(settled.result!.amount as string),
    txHash: settled.txHash!,
    blockNumber: Number(settled.blockNumber),
    status: settled.status as "included" | "confirmed",
  };
}

/** The vault's log `name` of `depositId` in `mined`, decoded. */
function vaultLog(chain: Chain, mined: Mined, name: string, depositId: string) {
  const vault = chain.deployment.contracts.vault.toLowerCase();
  const log = mined.logs
    .map((entry) => (entry.address.toLowerCase() === vault ? chain.vault.interface.parseLog(entry) : null))
    .find((parsed) => parsed?.name === name && String(parsed.args.depositId) === depositId);
  if (!log) throw new Error(`transaction ${mined.hash} has no ${name} log for deposit ${depositId}`);
  return log;
}

/** A signed write already done on chain: its nonce is spent, by the transaction that carries this signature. */
async function signedDone(chain: Chain, p: SignedPayload, event: "WithdrawalAnnounced" | "WithdrawalCancelled"): Promise<Mined | undefined> {
  if ((await chain.vault.nonces(p.sponsor)) <= BigInt(p.nonce)) return undefined;
  const filter = event === "WithdrawalAnnounced" ? chain.vault.filters.WithdrawalAnnounced(p.depositId) : chain.vault.filters.WithdrawalCancelled(p.depositId);
  const signature = p.signature.slice(2).toLowerCase();
  const log = await newestLogSince(
    chain,
    chain.deployment.startBlock,
    (from, to) => chain.vault.queryFilter(filter, from, to),
    async (candidate) => (await chain.provider.getTransaction(candidate.transactionHash))?.data.toLowerCase().includes(signature) ?? false,
  );
  return log && { hash: log.transactionHash, blockNumber: log.blockNumber, blockHash: log.blockHash, logs: [log] };
}

export const ANNOUNCE_WITHDRAWAL: ChainWriteKind = {
  kind: "withdrawal.announce",
  errors: VAULT_ERRORS,
  revertedCode: "RC_WITHDRAWAL_REVERTED",
  request(chain, payload) {
    const p = payload as SignedPayload;
    return chain.vault.announceWithdrawalBySig.populateTransaction(BigInt(p.depositId), BigInt(p.deadline), p.signature);
  },
  doneOnChain: (chain, payload) => signedDone(chain, payload as SignedPayload, "WithdrawalAnnounced"),
  async settle(_tx, chain, payload, mined) {
    const log = vaultLog(chain, mined, "WithdrawalAnnounced", (payload as SignedPayload).depositId);
    return { withdrawableAt: String(log.args.withdrawableAt) };
  },
};

export const CANCEL_WITHDRAWAL: ChainWriteKind = {
  kind: "withdrawal.cancel",
  errors: VAULT_ERRORS,
  revertedCode: "RC_WITHDRAWAL_REVERTED",
  request(chain, payload) {
    const p = payload as SignedPayload;
    return chain.vault.cancelWithdrawalBySig.populateTransaction(BigInt(p.depositId), BigInt(p.deadline), p.signature);
  },
  doneOnChain: (chain, payload) => signedDone(chain, payload as SignedPayload, "WithdrawalCancelled"),
  async settle(_tx, chain, payload, mined) {
    vaultLog(chain, mined, "WithdrawalCancelled", (payload as SignedPayload).depositId);
    return {};
  },
};

export const WITHDRAW_DEPOSIT: ChainWriteKind = {
  kind: "withdrawal.withdraw",
  errors: VAULT_ERRORS,
  revertedCode: "RC_WITHDRAWAL_REVERTED",
  request(chain, payload) {
    return chain.vault.withdraw.populateTransaction(BigInt(payload.depositId as string));
  },
  async doneOnChain(chain, payload) {
    const depositId = BigInt(payload.depositId as string);
    if (!(await chain.vault.getWithdrawal(depositId)).withdrawn) return undefined;
    // Withdrawn once for good, by this write under a hash it lost or by anyone else: the one Withdrawn log says so.
    const filter = chain.vault.filters.Withdrawn(depositId);
    const log = await newestLogSince(chain, chain.deployment.startBlock, (from, to) => chain.vault.queryFilter(filter, from, to));
    return log && { hash: log.transactionHash, blockNumber: log.blockNumber, blockHash: log.blockHash, logs: [log] };
  },
  async settle(_tx, chain, payload, mined) {
    const log = vaultLog(chain, mined, "Withdrawn", payload.depositId as string);
    return { amount: String(log.args.amount) };
  },
};
