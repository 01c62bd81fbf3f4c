import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import type { FastifyRequest } from "fastify";
import { notFound } from "../../../core/errors.js";
import { MEMBER_KINDS } from "../../../db/members.js";
import { findPayment, type Payment as PaymentRow } from "../../../db/payments.js";
import { acceptPayment } from "../../../flows/accept-payment.js";
import { paymentDeps } from "../../flow-deps.js";
import { presentPayment } from "../../presenters/payments.js";
import { errors, IdParams } from "../../schemas/common.js";
import { Payment, PaymentBody } from "../../schemas/payments.js";
import { readSubmission } from "./submission.js";

/**
 * Submitting a payment needs no API key: the payer's EIP-712 signature is the authority, checked here and on
 * chain. Reading one is for the payer (its session token), the payee (the retailer's key) and the admin.
 */
const paymentRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const deps = paymentDeps(app);
  const reader = app.requireCollectorOrMember(...MEMBER_KINDS);
  const readable = (payment: PaymentRow, request: FastifyRequest) =>
    request.collector !== undefined
      ? request.collector.toLowerCase() === payment.payer.toLowerCase()
      : request.member !== undefined && (request.member.kind === "admin" || request.member.id === payment.retailerId);
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
      // Anonymous callers get the same 404 as everyone it is not for: ids are sequential and reveal nothing.
      onRequest: async (request, reply) => {
        if (request.headers.authorization !== undefined) await reader.call(app, request, reply);
      },
      schema: {
        summary: "Where a payment stands: pending → submitted → included → confirmed (or failed, with the reason)",
        description: "For the payer (its session token), the payee (the retailer's API key) and the admin; anyone else gets 404.",
        tags: ["payments"],
        security: [{ apiKey: [] }],
        params: IdParams,
        response: { 200: Payment, ...errors(401, 404) },
      },
    },
    async (request) => {
      const payment = await findPayment(app.sql, BigInt(request.params.id));
      if (!payment || !readable(payment, request)) throw notFound("RC_PAYMENT_NOT_FOUND", `no payment ${request.params.id} of yours`);
      return presentPayment(payment);
    },
  );
};

export default paymentRoutes;
