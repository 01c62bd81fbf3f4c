import { describe, expect, it } from "vitest";
import { auditCsv, csvCell } from "../../../services/core/audit-csv.js";

describe("the audit CSV", () => {
  it("quotes every cell and defuses what a spreadsheet would run as a formula", () => {
    expect(csvCell("member.admit")).toBe('"member.admit"');
    expect(csvCell('say "hi", then go')).toBe('"say ""hi"", then go"');
    for (const formula of ["=1+1", "+1", "-1", "@SUM(A1)", "\tx"]) expect(csvCell(formula)).toBe(`"'${formula}"`);
  });

  it("writes one CRLF line per entry under its header, before and after as JSON", () => {
    const csv = auditCsv([
      { id: 2n, at: new Date("2026-01-02T03:04:05Z"), actorId: 1n, action: "member.deactivate", subject: "member:5", before: { active: true }, after: { active: false } },
      { id: 1n, at: new Date("2026-01-01T00:00:00Z"), actorId: 1n, action: "member.admit", subject: "member:5", before: null, after: { name: "=cmd" } },
    ]);
    expect(csv.split("\r\n")).toEqual([
      "id,at,actor_id,action,subject,before,after",
      '"2","2026-01-02T03:04:05.000Z","1","member.deactivate","member:5","{""active"":true}","{""active"":false}"',
      '"1","2026-01-01T00:00:00.000Z","1","member.admit","member:5","","{""name"":""=cmd""}"',
      "",
    ]);
  });
});
