import { TypedDataEncoder } from "ethers";
import { checkedAddress } from "../core/addresses.js";
import type { Chain } from "../chain/network.js";
import { isKeySignature } from "../core/account-signature.js";
import { takesContractSigners } from "../chain/collector-accounts.js";
import { rewardTokenDomain, TRANSFER_WITH_AUTHORIZATION_TYPES } from "../chain/eip3009.js";
import { badRequest, conflict, notFound } from "../core/errors.js";
import type { DecodedVoucher } from "../core/voucher.js";
import { insertPayment, type Payment } from "../db/payments.js";
import { acceptingRetailer, findProgram } from "../db/programs.js";
import type { Sql } from "../db/sql.js";
import { type createQueue, paymentJobId } from "../queue/queues.js";
import type { Log } from "./log.js";
import { requireSignerSignature } from "./signer-signature.js";
import { voucherSignature } from "./voucher-signature.js";

/** An authorization must still be valid this long after acceptance, so the worker has time to settle it. */
const SETTLEMENT_MARGIN_S = 5;

/**
 * A payment as submitted, whichever shape it came in: a voucher's fields and where it came from. A passkey voucher
 * carries an assertion whose challenge is put back here, once the digest is known.
 */
export type SubmittedPayment = DecodedVoucher & { source: "online" | "voucher" };

/** What accepting a payment needs: the chain to check the token's view, the queue its settlement goes on. */
export interface PaymentDeps {
  sql: Sql;
  chain: Pick<Chain, "chainId" | "token" | "provider" | "deployment">;
  queue: Pick<ReturnType<typeof createQueue<"payments">>, "add">;
  log: Log;
  clock?: () => Date;
}

/**
 * Checks a payment as the token will (signature, window, nonce, balance) plus what only we know (the payee
 * accepts the program, pending payments), stores it and enqueues its settlement.
 */
export async function acceptPayment(deps: PaymentDeps, submitted: SubmittedPayment): Promise<Payment> {
  const program = await findProgram(deps.sql, BigInt(submitted.programId));
  if (!program) throw notFound("RC_PROGRAM_NOT_FOUND", `no program ${submitted.programId}`);
  const from = checkedAddress(submitted.from);
  const to = checkedAddress(submitted.to);
  const retailerId = await acceptingRetailer(deps.sql, program.id, to);
  if (retailerId === undefined) {
    throw badRequest("RC_PAYEE_NOT_ACCEPTOR", `${to} is not a retailer accepting program ${program.id}`);
  }
  if (submitted.value <= 0n) throw badRequest("RC_INVALID_AMOUNT", "a payment moves more than nothing");
  const now = Math.floor((deps.clock?.() ?? new Date()).getTime() / 1000);
  if (now <= submitted.validAfter) throw badRequest("RC_AUTHORIZATION_NOT_YET_VALID", "this authorization is not valid yet");
  if (now + SETTLEMENT_MARGIN_S >= submitted.validBefore) throw badRequest("RC_AUTHORIZATION_EXPIRED", "this authorization has expired");

  const message = {
    from,
    to,
    value: submitted.value,
    validAfter: BigInt(submitted.validAfter),
    validBefore: BigInt(submitted.validBefore),
    nonce: submitted.nonce.toLowerCase(),
  };
  const domain = rewardTokenDomain(program.name, BigInt(deps.chain.chainId), program.token);
  const byPasskey = submitted.assertion !== undefined || !isKeySignature(submitted.signature);
  if (byPasskey && !(await takesContractSigners(deps.chain.provider, program.token))) {
    throw badRequest("RC_PASSKEY_UNSUPPORTED", "this program's token predates passkey accounts: sign with a key");
  }
  const digest = TypedDataEncoder.hash(domain, TRANSFER_WITH_AUTHORIZATION_TYPES, message);
  const signature = submitted.assertion ? await voucherSignature(deps.chain, from, submitted.assertion, digest) : submitted.signature;
  await requireSignerSignature(deps.chain, from, digest, signature, "the payer's authorization");

  const token = deps.chain.token(program.token);
  const [used, balance] = await Promise.all([token.authorizationState(from, message.nonce), token.balanceOf(from)]);
  if (used) throw conflict("RC_AUTHORIZATION_REPLAYED", "this authorization was already used or cancelled");
  const stored = await insertPayment(
    deps.sql,
    {
      programId: program.id,
      token: program.token,
      payer: from,
      payee: to,
      retailerId,
      value: submitted.value,
      validAfter: message.validAfter,
      validBefore: message.validBefore,
      nonce: message.nonce,
      signature: signature.toLowerCase(),
      source: submitted.source,
    },
    balance,
  );
  if (stored === "replayed") throw conflict("RC_AUTHORIZATION_REPLAYED", "this authorization was already submitted");
  if ("insufficient" in stored) {
    throw badRequest("RC_INSUFFICIENT_BALANCE", "the payer's balance, less pending payments, does not cover this", {
      available: stored.insufficient.toString(),
    });
  }
  // If this fails the payment is still stored: the worker's reconciler enqueues it.
  await deps.queue
    .add("settle-payment", { paymentId: Number(stored.id) }, { jobId: paymentJobId(from, message.nonce) })
    .catch((error: unknown) => deps.log.warn({ err: error, payment: String(stored.id) }, "enqueue failed; the reconciler will retry"));
  return stored;
}
