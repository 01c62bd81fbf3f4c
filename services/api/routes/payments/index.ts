import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import { formatTokenAmount } from "../../../core/amounts.js";
import { notFound } from "../../../core/errors.js";
import { findPayment, type Payment as PaymentRow } from "../../../db/payments.js";
import { errors, IdParams } from "../../schemas/common.js";
import { Payment, PaymentBody } from "../../schemas/payments.js";
import { acceptPayment, readSubmission } from "./accept.js";

export const presentPayment = (p: PaymentRow) => ({
  id: Number(p.id),
  programId: Number(p.programId),
  from: p.payer,
  to: p.payee,
  value: formatTokenAmount(p.value),
  source: p.source,
  status: p.status,
  failureReason: p.failureReason,
  txHash: p.txHash,
  blockNumber: p.blockNumber === null ? null : Number(p.blockNumber),
  createdAt: p.createdAt.toISOString(),
});

/** Payments need no API key: the payer's EIP-712 signature is the authority, checked here and on chain. */
const paymentRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.post(
    "/payments",
    {
      schema: {
        summary: "Submit a collector's signed payment (EIP-3009), online or as an offline voucher",
        tags: ["payments"],
        body: PaymentBody,
        response: { 202: Payment, ...errors(400, 404, 409, 413, 415) },
      },
    },
    async (request, reply) => {
      const payment = await acceptPayment(app, readSubmission(request.body));
      return reply.status(202).send(presentPayment(payment));
    },
  );

  app.get(
    "/payments/:id",
    {
      schema: {
        summary: "Where a payment stands: pending → submitted → confirmed (or failed, with the reason)",
        tags: ["payments"],
        params: IdParams,
        response: { 200: Payment, ...errors(404) },
      },
    },
    async (request) => {
      const payment = await findPayment(app.sql, BigInt(request.params.id));
      if (!payment) throw notFound("RC_PAYMENT_NOT_FOUND", `no payment ${request.params.id}`);
      return presentPayment(payment);
    },
  );
};

export default paymentRoutes;
