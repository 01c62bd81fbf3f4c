import { getAddress, type TransactionRequest } from "ethers";
import type { PasskeyKey } from "../core/account-signature.js";
import { type SignerChangeKind, signerId, signerKind } from "../core/account-signers.js";
import type { Chain } from "../chain/network.js";
import { accountAddressOf } from "../chain/collector-accounts.js";
import { revertDataOf, revertReason } from "../chain/revert-reason.js";
import { badRequest, conflict } from "../core/errors.js";
import { type JsonObject, liveChainWrite, recordChainWrite } from "../db/chain-writes.js";
import type { ChainWriteKind, Mined } from "../engines/chain-write-kind.js";
import { CollectorAccount__factory, CollectorAccountFactory__factory } from "../../types/ethers-contracts/index.js";
import { settledWrite, type OperatorWriteDeps } from "./operator-write.js";
import { newestLogSince } from "../chain/logs-in-ranges.js";

export type RelaySignerChangeDeps = OperatorWriteDeps & { chain: Chain };

/** A signer's request to add or remove a signer of a passkey account, as the API admits it. */
export interface SignerChangeRequest {
  account: string;
  change: SignerChangeKind;
  /** 20 bytes (a key's address) or 64 (a passkey's qx ‖ qy), hex. */
  signer: string;
  nonce: number;
  deadline: number;
  signature: string;
  /** The account's first passkey: needed only while the account does not exist, to create it first. */
  passkey?: PasskeyKey | undefined;
}

interface SignerChangePayload extends JsonObject {
  account: string;
  change: SignerChangeKind;
  signer: string;
  nonce: string;
  deadline: string;
  signature: string;
  /** Set when the factory creates the account in the same call (its first signer change). */
  qx: string | null;
  qy: string | null;
}

const ACCOUNT = CollectorAccount__factory.createInterface();
const FACTORY = CollectorAccountFactory__factory.createInterface();
const CHANGE_ERRORS = [ACCOUNT, FACTORY];

/**
 * Relays a signer change of a collector's passkey account: the signature (a signer's, over the account's EIP-712
 * AddSigner or RemoveSigner) is the authority, the operator only pays the gas. Checked by a dry run, so a stranger's,
 * replayed or expired change is a 400 with the account's reason; recorded as an operator write, one per account and
 * nonce, so the same request sent again joins the first; answered once in a block.
 */
export async function relaySignerChange(deps: RelaySignerChangeDeps, body: SignerChangeRequest) {
  const factory = deps.chain.deployment.contracts.collectorAccounts;
  if (!factory) throw badRequest("RC_PASSKEY_UNSUPPORTED", "this network has no passkey accounts");
  const account = getAddress(body.account);
  if (!signerKind(body.signer)) throw badRequest("RC_SIGNER_MALFORMED", "a signer is a key's address (20 bytes) or a passkey's qx ‖ qy (64 bytes)");
  const signer = body.signer.toLowerCase();
  const payload: SignerChangePayload = {
    account,
    change: body.change,
    signer,
    nonce: String(body.nonce),
    deadline: String(body.deadline),
    signature: body.signature.toLowerCase(),
    qx: null,
    qy: null,
  };
  const subject = `${account}:${body.nonce}`;
  const live = await liveChainWrite(deps.sql, SIGNER_CHANGE.kind, subject);
  if (live && (live.payload as SignerChangePayload).signature !== payload.signature) {
    throw conflict("RC_SIGNER_CHANGE_CONFLICT", `another change of this account's signers at nonce ${body.nonce} is under way or done`);
  }
  if (!live) {
    if (body.deadline <= Math.floor(Date.now() / 1000)) throw badRequest("RC_SIGNATURE_EXPIRED", "the deadline has passed");
    if ((await deps.chain.provider.getCode(account)) === "0x") {
      // Not created yet: only its first passkey's first change, an add, may create it (the factory checks the rest).
      if (!body.passkey) throw badRequest("RC_ACCOUNT_NOT_CREATED", "no account exists at this address yet: name its first passkey");
      if (body.change !== "add") throw badRequest("RC_SIGNER_UNKNOWN", "an account not created yet has no added signer to remove");
      if ((await accountAddressOf(deps.chain.provider, factory, body.passkey)) !== account) {
        throw badRequest("RC_ACCOUNT_MISMATCH", "the passkey named is not the first passkey of this account");
      }
      payload.qx = body.passkey.qx;
      payload.qy = body.passkey.qy;
    }
    try {
      await deps.chain.provider.call(changeRequest(deps.chain, payload));
    } catch (error) {
      throw badRequest(revertReason(revertDataOf(error), CHANGE_ERRORS, "RC_SIGNER_CHANGE_REFUSED"), "the account refuses this change of its signers");
    }
  }
  const write = await recordChainWrite(deps.sql, { kind: SIGNER_CHANGE.kind, subject, payload });
  const settled = await settledWrite(deps, write, `the ${body.change} of a signer of ${account} at nonce ${body.nonce}`, (code) =>
    badRequest(code, "the account refuses this change of its signers"),
  );
  return {
    account,
    change: body.change,
    signer,
    signerId: signerId(signer),
    txHash: settled.txHash!,
    blockNumber: Number(settled.blockNumber),
    status: settled.status as "included" | "confirmed",
  };
}

/** The transaction: the account's addSigner or removeSigner, or the factory's creation with the first add. */
function changeRequest(chain: Chain, p: SignerChangePayload): TransactionRequest {
  const [nonce, deadline] = [BigInt(p.nonce), BigInt(p.deadline)];
  if (p.qx !== null && p.qy !== null) {
    const data = FACTORY.encodeFunctionData("createAccountAndAddSigner", [p.qx, p.qy, p.signer, nonce, deadline, p.signature]);
    return { to: chain.deployment.contracts.collectorAccounts!, data };
  }
  const data =
    p.change === "add"
      ? ACCOUNT.encodeFunctionData("addSigner", [p.signer, nonce, deadline, p.signature])
      : ACCOUNT.encodeFunctionData("removeSigner", [p.signer, nonce, deadline, p.signature]);
  return { to: p.account, data };
}

const EVENT = { add: "SignerAdded", remove: "SignerRemoved" } as const;

export const SIGNER_CHANGE: ChainWriteKind = {
  kind: "account.signer-change",
  errors: CHANGE_ERRORS,
  revertedCode: "RC_SIGNER_CHANGE_REVERTED",
  request: async (chain, payload) => changeRequest(chain, payload as SignerChangePayload),
  async doneOnChain(chain, payload): Promise<Mined | undefined> {
    const p = payload as SignerChangePayload;
    if ((await chain.provider.getCode(p.account)) === "0x") return undefined;
    const account = CollectorAccount__factory.connect(p.account, chain.provider);
    if ((await account.signerNonce()) <= BigInt(p.nonce)) return undefined;
    // Spent: by this write under a hash it lost, or by anyone who relayed the same signature.
    const topics = [ACCOUNT.getEvent(EVENT[p.change]).topicHash, signerId(p.signer)];
    const signature = p.signature.slice(2);
    const log = await newestLogSince(
      chain,
      chain.deployment.startBlock,
      (fromBlock, toBlock) => chain.provider.getLogs({ address: p.account, topics, fromBlock, toBlock }),
      async (candidate) => (await chain.provider.getTransaction(candidate.transactionHash))?.data.toLowerCase().includes(signature) ?? false,
    );
    return log && { hash: log.transactionHash, blockNumber: log.blockNumber, blockHash: log.blockHash, logs: [log] };
  },
  async settle(_tx, _chain, payload, mined) {
    const p = payload as SignerChangePayload;
    const found = mined.logs.some(
      (log) => log.address.toLowerCase() === p.account.toLowerCase() && ACCOUNT.parseLog(log)?.name === EVENT[p.change],
    );
    if (!found) throw new Error(`signer change ${mined.hash} has no ${EVENT[p.change]} log of ${p.account}`);
    return { signerId: signerId(p.signer) };
  },
};
