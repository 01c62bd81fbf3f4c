import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import { listPayments } from "../../../db/operator-lists.js";
import { retailerMoneyPage } from "../../money-lists.js";
import { memberOf } from "../../plugins/auth.js";
import { presentPayment } from "../../presenters/payments.js";
import { errors } from "../../schemas/common.js";
import { PaymentListPage, PaymentListQuery } from "../../schemas/lists.js";

/** Payments: all for an admin, those paid to a retailer for it. */
const paymentListRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    "/payments",
    {
      onRequest: app.requireMember("admin", "retailer"),
      schema: {
        summary: "Payments newest first, by program and status: all for an admin, a retailer's received for it",
        tags: ["payments"],
        security: [{ apiKey: [] }],
        querystring: PaymentListQuery,
        response: { 200: PaymentListPage, ...errors(400, 401, 403) },
      },
    },
    async (request) => {
      const found = await retailerMoneyPage(app.sql, listPayments, memberOf(request), request.query);
      return { items: found.items.map(presentPayment), next: found.next };
    },
  );
};

export default paymentListRoutes;
