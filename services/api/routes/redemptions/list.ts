import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import { listRedemptions } from "../../../db/operator-lists.js";
import { retailerMoneyPage } from "../../money-lists.js";
import { memberOf } from "../../plugins/auth.js";
import { errors } from "../../schemas/common.js";
import { RedemptionListPage, RedemptionListQuery } from "../../schemas/lists.js";
import { presentRedemption } from "./present.js";

/** Redemptions: all for an admin, a retailer's own for it. */
const redemptionListRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    "/redemptions",
    {
      onRequest: app.requireMember("admin", "retailer"),
      schema: {
        summary: "Redemptions newest first, by program and status: all for an admin, a retailer's own for it",
        tags: ["redemptions"],
        security: [{ apiKey: [] }],
        querystring: RedemptionListQuery,
        response: { 200: RedemptionListPage, ...errors(400, 401, 403) },
      },
    },
    async (request) => {
      const found = await retailerMoneyPage(app.sql, listRedemptions, memberOf(request), request.query);
      return { items: found.items.map((r) => presentRedemption(r, app.stablecoinDecimals)), next: found.next };
    },
  );
};

export default redemptionListRoutes;
