import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import { getAddress } from "ethers";
import { cursorBound, pageOf } from "../../../core/cursor.js";
import { forbidden } from "../../../core/errors.js";
import { listCollectors } from "../../../db/operator-lists.js";
import { memberOf } from "../../plugins/auth.js";
import { errors } from "../../schemas/common.js";
import { CollectorListPage, CollectorListQuery } from "../../schemas/lists.js";

/** Registered wallet collectors: all for an admin, the ones a point registered for it. */
const collectorListRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    "/collectors",
    {
      onRequest: app.requireMember("admin", "collection_point"),
      schema: {
        summary: "Registered collectors newest first, searched by name or address: all for an admin, a point's own for it",
        tags: ["collectors"],
        security: [{ apiKey: [] }],
        querystring: CollectorListQuery,
        response: { 200: CollectorListPage, ...errors(400, 401, 403) },
      },
    },
    async (request) => {
      const member = memberOf(request);
      const q = request.query;
      if (member.kind !== "admin" && q.registeredBy !== undefined && BigInt(q.registeredBy) !== member.id) {
        throw forbidden("RC_NOT_YOUR_COLLECTORS", "a point lists the collectors it registered only");
      }
      const registeredBy = member.kind === "admin" ? (q.registeredBy === undefined ? undefined : BigInt(q.registeredBy)) : member.id;
      const size = Number(q.limit ?? 50);
      const rows = await listCollectors(app.sql, {
        below: cursorBound(q.cursor),
        limit: size + 1,
        ...(registeredBy === undefined ? {} : { registeredBy }),
        ...(q.q === undefined ? {} : { search: q.q }),
      });
      const found = pageOf(rows, size);
      return {
        items: found.items.map((c) => ({
          id: Number(c.id),
          address: getAddress(c.address),
          displayName: c.displayName,
          registeredBy: Number(c.registeredBy),
          createdAt: c.createdAt.toISOString(),
        })),
        next: found.next,
      };
    },
  );
};

export default collectorListRoutes;
