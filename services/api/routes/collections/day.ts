import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import { readCollectionDay } from "../../../flows/read-collection-day.js";
import { memberOf } from "../../plugins/auth.js";
import { presentCollectionDay } from "../../presenters/collection-day.js";
import { CollectionDay, CollectionDayQuery } from "../../schemas/collection-day.js";
import { errors } from "../../schemas/common.js";

/** The point's day screen: its own drop-offs only, so another point's ids or weights are never read. */
export const collectionDayRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    "/collections/day",
    {
      onRequest: app.requireMember("collection_point"),
      schema: {
        summary: "The calling point's drop-offs of today for a program, a page at a time, with the whole day's totals by material",
        description:
          "Today runs from local midnight in `timeZone` (UTC without one). `totals` sum every drop-off of the day in the database, " +
          "not the page; drop-offs rejected in review are listed but not counted.",
        tags: ["collections"],
        security: [{ apiKey: [] }],
        querystring: CollectionDayQuery,
        response: { 200: CollectionDay, ...errors(400, 401, 403) },
      },
    },
    async (request) => {
      const q = request.query;
      const found = await readCollectionDay(app.sql, {
        programId: BigInt(q.programId),
        issuerId: memberOf(request).id,
        timeZone: q.timeZone,
        cursor: q.cursor,
        limit: Number(q.limit ?? 50),
      });
      return presentCollectionDay(found);
    },
  );
};
