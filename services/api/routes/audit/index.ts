import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import { Type } from "typebox";
import { auditCsv } from "../../../core/audit-csv.js";
import { cursorBound, pageOf } from "../../../core/cursor.js";
import { parseQueryTime } from "../../../core/time-range.js";
import { type AuditEntry, listAudit } from "../../../db/audit.js";
import { errors } from "../../schemas/common.js";
import { AuditCsvQuery, AuditPage, AuditQuery } from "../../schemas/audit.js";

/** At most this many entries in one CSV export: a larger one is asked in time ranges. */
const CSV_MAX_ROWS = 50_000;
const CSV_PAGE = 1_000;

type Filters = { actorId?: string; action?: string; subject?: string; since?: string; until?: string };

function filtersOf(query: Filters) {
  const since = parseQueryTime("since", query.since);
  const until = parseQueryTime("until", query.until);
  return {
    ...(query.actorId === undefined ? {} : { actorId: BigInt(query.actorId) }),
    ...(query.action === undefined ? {} : { action: query.action }),
    ...(query.subject === undefined ? {} : { subject: query.subject }),
    ...(since === undefined ? {} : { since }),
    ...(until === undefined ? {} : { until }),
  };
}

const present = (entry: AuditEntry) => ({
  id: Number(entry.id),
  actorId: Number(entry.actorId),
  action: entry.action,
  subject: entry.subject,
  before: entry.before,
  after: entry.after,
  at: entry.at.toISOString(),
});

/** The audit log of admin and operator actions (append-only, migration 017): a page at a time, or as CSV. */
const auditRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    "/audit",
    {
      onRequest: app.requireMember("admin"),
      schema: {
        summary: "Who did what, to what, before and after, when: admin and operator actions, newest first",
        tags: ["audit"],
        security: [{ apiKey: [] }],
        querystring: AuditQuery,
        response: { 200: AuditPage, ...errors(400, 401, 403) },
      },
    },
    async (request) => {
      const size = Number(request.query.limit ?? 50);
      const rows = await listAudit(app.sql, { below: cursorBound(request.query.cursor), limit: size + 1, ...filtersOf(request.query) });
      const found = pageOf(rows, size);
      return { items: found.items.map(present), next: found.next };
    },
  );

  app.get(
    "/audit.csv",
    {
      onRequest: app.requireMember("admin"),
      schema: {
        summary: `The audit log as CSV (columns in services/core/audit-csv.ts), newest first, at most ${CSV_MAX_ROWS} rows`,
        tags: ["audit"],
        security: [{ apiKey: [] }],
        querystring: AuditCsvQuery,
        response: { 200: { content: { "text/csv": { schema: Type.String() } } }, ...errors(400, 401, 403) },
      },
    },
    async (request, reply) => {
      const filters = filtersOf(request.query);
      const rows: AuditEntry[] = [];
      let below = cursorBound(undefined);
      while (rows.length < CSV_MAX_ROWS) {
        const batch = await listAudit(app.sql, { below, limit: Math.min(CSV_PAGE, CSV_MAX_ROWS - rows.length), ...filters });
        rows.push(...batch);
        if (batch.length < CSV_PAGE) break;
        below = batch.at(-1)!.id;
      }
      return reply
        .type("text/csv; charset=utf-8")
        .header("content-disposition", 'attachment; filename="audit.csv"')
        .send(auditCsv(rows));
    },
  );
};

export default auditRoutes;
