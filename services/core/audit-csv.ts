/**
 * The audit log as CSV, one row per entry, newest first: id, at (ISO 8601 UTC), actor_id, action, subject, and
 * before and after as compact JSON. Every cell is quoted, and a cell a spreadsheet would read as a formula
 * (starting with = + - @ or a tab) gets a leading apostrophe: names and reasons are typed by members.
 */
export const AUDIT_CSV_COLUMNS = ["id", "at", "actor_id", "action", "subject", "before", "after"] as const;

export interface AuditCsvRow {
  id: bigint;
  at: Date;
  actorId: bigint;
  action: string;
  subject: string;
  before: unknown;
  after: unknown;
}

export function csvCell(value: string): string {
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return `"${safe.replaceAll('"', '""')}"`;
}

export function auditCsv(rows: AuditCsvRow[]): string {
  const lines = [AUDIT_CSV_COLUMNS.join(",")];
  for (const row of rows) {
    lines.push(
      [
        String(row.id),
        row.at.toISOString(),
        String(row.actorId),
        row.action,
        row.subject,
        row.before === null ? "" : JSON.stringify(row.before),
        row.after === null ? "" : JSON.stringify(row.after),
      ]
        .map(csvCell)
        .join(","),
    );
  }
  return `${lines.join("\r\n")}\r\n`;
}
