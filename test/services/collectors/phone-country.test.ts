import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { admit, idempotencyKey, recyclingScene } from "../../support/earn-fixtures.js";
import { startStack, type Stack } from "../../support/stack.js";

let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(() => stack?.close());

const PHILIPPINES = { name: "Manila Bay Plastic", symbol: "MBP", kind: "recycling", redemptionRate: "0.01", rates: { PET: "2" } } as const;

describe("a program's phone country", () => {
  it("reads a local number in the program's country: 0812… in Indonesia by default, 0917… in a Philippine program", async () => {
    const { admin, program: indonesian, point } = await recyclingScene(stack);
    // A program created without a country runs in Indonesia, as every program did before programs carried one.
    expect(indonesian.phoneCountry).toBe("ID");
    const created = await admin.post("/v1/programs", { ...PHILIPPINES, phoneCountry: "PH" });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const philippine = created.body;
    expect(philippine.phoneCountry).toBe("PH");
    expect((await admin.post(`/v1/programs/${philippine.id}/members`, { memberId: point.id })).status).toBe(201);
    const network = await admin.get("/v1/network");
    expect(network.body.programs.find((p: { id: number }) => p.id === philippine.id).phoneCountry).toBe("PH");

    const dropOff = (programId: number, phone: string) =>
      point.api.post("/v1/collections", { programId, phone, material: "PET", grams: 1_000 }, idempotencyKey());

    // Indonesia: registered internationally, found by its local form.
    expect((await point.api.post("/v1/collectors", { phone: "+62 812 3456 7890" })).status).toBe(201);
    const wati = await dropOff(indonesian.id, "0812-3456-7890");
    expect(wati.status, JSON.stringify(wati.body)).toBe(202);
    expect(wati.body.status).toBe("escrowed");

    // The Philippines: registered locally in the program's country, the same collector as +63 917 123 4567.
    const registered = await point.api.post("/v1/collectors", { phone: "0917 123 4567", programId: philippine.id });
    expect(registered.status, JSON.stringify(registered.body)).toBe(201);
    expect(registered.body.phone).toBe("+63••••••4567");
    const international = await point.api.post("/v1/collectors", { phone: "+63 917 123 4567" });
    expect(international.status).toBe(200);
    expect(international.body.id).toBe(registered.body.id);
    const local = await dropOff(philippine.id, "0917 123 4567");
    expect(local.status, JSON.stringify(local.body)).toBe(202);
    const byCode = await dropOff(philippine.id, "+639171234567");
    expect(byCode.body.beneficiary).toBe(local.body.beneficiary);

    // The same digits mean another line in the other country: 0917 in Indonesia is +62 917, no one registered;
    // and Indonesia's 0812 is no Philippine number at all.
    const elsewhere = await dropOff(indonesian.id, "0917 123 4567");
    expect([elsewhere.status, elsewhere.body.error.code]).toEqual([404, "RC_COLLECTOR_NOT_FOUND"]);
    const impossible = await dropOff(philippine.id, "0812-3456-7890");
    expect([impossible.status, impossible.body.error.code]).toEqual([400, "RC_INVALID_PHONE"]);

    // A claim code for a number written locally, read in the named program's country.
    const issued = await point.api.post("/v1/collectors/phone/claim-code", { phone: "0917-123-4567", programId: philippine.id });
    expect(issued.status, JSON.stringify(issued.body)).toBe(201);
    expect(issued.body.phone).toBe("+63••••••4567");
  });

  it("refuses a country whose numbers cannot be read, and a program that does not exist, creating nothing", async () => {
    const admin = (await recyclingScene(stack)).admin;
    const [before] = await stack.sql`select count(*)::int as n from chain_writes`;
    for (const [phoneCountry, code] of [["XX", "RC_INVALID_COUNTRY"], ["UK", "RC_INVALID_COUNTRY"], ["ph", "RC_VALIDATION"], ["PHL", "RC_VALIDATION"]] as const) {
      const refused = await admin.post("/v1/programs", { ...PHILIPPINES, phoneCountry });
      expect([refused.status, refused.body.error.code], phoneCountry).toEqual([400, code]);
    }
    expect(await stack.sql`select count(*)::int as n from chain_writes`).toEqual([before]);
    const point = await admit(stack, "collection_point", "Point Tondo");
    const unknown = await point.api.post("/v1/collectors", { phone: "0917 123 4567", programId: 999_999 });
    expect([unknown.status, unknown.body.error.code]).toEqual([404, "RC_PROGRAM_NOT_FOUND"]);
  });
});
