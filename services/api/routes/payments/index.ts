import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import { notFound } from "../../../core/errors.js";
import { findPayment } from "../../../db/payments.js";
import { acceptPayment } from "../../../flows/accept-payment.js";
import { paymentDeps } from "../../flow-deps.js";
import { presentPayment } from "../../presenters/payments.js";
import { errors, IdParams } from "../../schemas/common.js";
import { Payment, PaymentBody } from "../../schemas/payments.js";
import { readSubmission } from "./submission.js";

/** Payments need no API key: the payer's EIP-712 signature is the authority, checked here and on chain. */
const paymentRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const deps = paymentDeps(app);
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
      const payment = await acceptPayment(deps, readSubmission(request.body));
      return reply.status(202).send(presentPayment(payment));
    },
  );

  app.get(
    "/payments/:id",
    {
      schema: {
        summary: "Where a payment stands: pending → submitted → included → confirmed (or failed, with the reason)",
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
