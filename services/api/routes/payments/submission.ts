import { parseTokenAmount } from "../../../core/amounts.js";
import { badRequest } from "../../../core/errors.js";
import { decodeVoucher } from "../../../core/voucher.js";
import type { SubmittedPayment } from "../../../flows/accept-payment.js";

/** The two shapes of POST /v1/payments, as one: a JSON authorization with its signature, or a voucher. */
export function readSubmission(body: {
  programId?: number;
  authorization?: { from: string; to: string; value: string; validAfter: number; validBefore: number; nonce: string };
  signature?: string;
  voucher?: string;
}): SubmittedPayment {
  if (body.voucher !== undefined) {
    if (body.programId !== undefined || body.authorization || body.signature) {
      throw badRequest("RC_PAYMENT_SHAPE", "send either a voucher or programId, authorization and signature");
    }
    return { ...decodeVoucher(body.voucher), source: "voucher" };
  }
  if (body.programId === undefined || !body.authorization || !body.signature) {
    throw badRequest("RC_PAYMENT_SHAPE", "send either a voucher or programId, authorization and signature");
  }
  const a = body.authorization;
  return {
    programId: body.programId,
    from: a.from,
    to: a.to,
    value: parseTokenAmount(a.value, "authorization.value"),
    validAfter: a.validAfter,
    validBefore: a.validBefore,
    nonce: a.nonce,
    signature: body.signature,
    source: "online",
  };
}
