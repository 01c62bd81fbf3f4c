import { Type } from "typebox";
import { Id } from "./common.js";
import { page, pageQuery, QueryId, QueryTime } from "./pages.js";
import { auditEntry } from "./examples.js";

const Filters = {
  actorId: Type.Optional(QueryId),
  action: Type.Optional(Type.String({ pattern: "^[a-z]+(\\.[a-z-]+)+$", maxLength: 60, description: "e.g. member.deactivate" })),
  subject: Type.Optional(Type.String({ pattern: "^[a-z]+:[0-9]+(:[a-z]+:[0-9]+)?$", maxLength: 80, description: "e.g. member:12, lot:7" })),
  since: Type.Optional(QueryTime),
  until: Type.Optional(QueryTime),
};

export const AuditQuery = pageQuery(Filters);
export const AuditCsvQuery = Type.Object(Filters, { additionalProperties: false });

const State = Type.Union([Type.Record(Type.String(), Type.Unknown()), Type.Null()]);

export const AuditEntry = Type.Object({
  id: Id,
  actorId: Id,
  action: Type.String(),
  subject: Type.String(),
  before: State,
  after: State,
  at: Type.String({ format: "date-time" }),
}, { examples: [auditEntry] });

export const AuditPage = page(AuditEntry, "Audit entries, newest first");
