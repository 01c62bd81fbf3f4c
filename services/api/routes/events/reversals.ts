import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import { cursorBound, pageOf } from "../../../core/cursor.js";
import { listReversals } from "../../../db/reversals.js";
import { presentListedReversal } from "../../presenters/reversals.js";
import { errors } from "../../schemas/common.js";
import { ReversalListPage, ReversalListQuery } from "../../schemas/reversals.js";

/** The reversals of credits for the console's Review tab: each with where it stands on chain. */
const reversalListRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    "/reversals",
    {
      onRequest: app.requireMember("admin"),
      schema: {
        summary: "Reversals of confirmed credits, newest first, by status and program (failed attempts included)",
        tags: ["review"],
        security: [{ apiKey: [] }],
        querystring: ReversalListQuery,
        response: { 200: ReversalListPage, ...errors(400, 401, 403) },
      },
    },
    async (request) => {
      const q = request.query;
      const size = Number(q.limit ?? 50);
      const rows = await listReversals(app.sql, {
        below: cursorBound(q.cursor),
        limit: size + 1,
        ...(q.status === undefined ? {} : { status: q.status }),
        ...(q.programId === undefined ? {} : { programId: BigInt(q.programId) }),
      });
      const found = pageOf(rows, size);
      return { items: found.items.map(presentListedReversal), next: found.next };
    },
  );
};

export default reversalListRoutes;
