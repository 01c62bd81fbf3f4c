import { Wallet } from "ethers";
import { parseTokenAmount } from "../../../services/core/amounts.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { admit, idempotencyKey, recyclingScene } from "../../support/earn-fixtures.js";
import { startStack, type Stack } from "../../support/stack.js";

let stack: Stack;
let scene: Awaited<ReturnType<typeof recyclingScene>>;

/**
 * A zone where it is about noon now (Etc/GMT-5 is UTC+5: the IANA names' sign is inverted), so the drop-offs just
 * recorded are on its "today" whenever the test runs, and the day's bounds differ from UTC's.
 */
const noonZone = () => {
  const offset = Math.max(-12, Math.min(14, 12 - new Date().getUTCHours()));
  return { offset, name: offset === 0 ? "UTC" : offset > 0 ? `Etc/GMT-${offset}` : `Etc/GMT+${-offset}` };
};

const DROP_OFFS = [
  ["PET", 1200],
  ["HDPE", 800],
  ["PET", 300],
  ["HDPE", 2500],
  ["PET", 1000],
  ["PET", 450],
  ["HDPE", 700],
  ["PET", 2000],
] as const;

beforeAll(async () => {
  stack = await startStack({ runBatcher: false });
  scene = await recyclingScene(stack);
  for (const [material, grams] of DROP_OFFS) {
    const reply = await scene.point.api.post(
      "/v1/collections",
      { programId: scene.program.id, collector: scene.collector.address, material, grams },
      idempotencyKey(),
    );
    expect(reply.status, JSON.stringify(reply.body)).toBe(202);
  }
  // Another point of the same program, the same day: none of it is this point's.
  const other = await admit(stack, "collection_point", "Point Hilir");
  expect((await scene.admin.post(`/v1/programs/${scene.program.id}/members`, { memberId: other.id })).status).toBe(201);
  const wallet = Wallet.createRandom().address;
  expect((await other.api.post("/v1/collectors", { address: wallet })).status).toBe(201);
  const theirs = await other.api.post("/v1/collections", { programId: scene.program.id, collector: wallet, material: "PET", grams: 9000 }, idempotencyKey());
  expect(theirs.status).toBe(202);
}, 120_000);
afterAll(() => stack?.close());

const dayOf = (query: string) => scene.point.api.get(`/v1/collections/day?programId=${scene.program.id}${query}`);

/** The point's day as SQL sums it, straight from the table: what the answer's totals must say. */
async function sqlTotals(from: string, until: string) {
  return stack.sql`
    select material, count(*)::int as count, sum(grams)::int as grams, sum(credit)::text as credit from events
    where issuer_id = ${scene.point.id} and program_id = ${scene.program.id} and kind = 'collection'
      and created_at >= ${from} and created_at < ${until} and status <> 'rejected'
    group by material order by material`;
}

describe("GET /v1/collections/day", () => {
  it("counts the day from the point's local midnight, and pages through exactly that day's drop-offs of its own", async () => {
    const zone = noonZone();
    const first = await dayOf(`&timeZone=${encodeURIComponent(zone.name)}&limit=3`);
    expect(first.status, JSON.stringify(first.body)).toBe(200);
    const { day } = first.body;
    const local = new Date(Date.now() + zone.offset * 3_600_000);
    const midnight = Date.UTC(local.getUTCFullYear(), local.getUTCMonth(), local.getUTCDate()) - zone.offset * 3_600_000;
    expect(day).toEqual({
      date: local.toISOString().slice(0, 10),
      timeZone: zone.name,
      from: new Date(midnight).toISOString(),
      until: new Date(midnight + 86_400_000).toISOString(),
    });

    // One drop-off a second before that midnight (yesterday), one exactly at it (today), one rejected in review.
    const ids = (await stack.sql`select id from events where issuer_id = ${scene.point.id} order by id`).map((r) => String(r.id));
    await stack.sql`update events set created_at = ${new Date(midnight - 1000)} where id = ${ids[0]!}`;
    await stack.sql`update events set created_at = ${new Date(midnight)} where id = ${ids[1]!}`;
    await stack.sql`update events set status = 'rejected' where id = ${ids[2]!}`;

    const pages = [];
    let cursor: string | null = "";
    while (cursor !== null) {
      const page = await dayOf(`&timeZone=${encodeURIComponent(zone.name)}&limit=3${cursor ? `&cursor=${cursor}` : ""}`);
      expect(page.status, JSON.stringify(page.body)).toBe(200);
      pages.push(page.body);
      cursor = page.body.next;
    }
    expect(pages.map((p) => p.items.length)).toEqual([3, 3, 1]);
    const listed = pages.flatMap((p) => p.items);
    // Newest first, yesterday's left out, the rejected one listed (with its status) though not counted.
    expect(listed.map((e: { id: number }) => String(e.id))).toEqual(ids.slice(1).reverse());
    expect(listed.find((e: { id: number }) => String(e.id) === ids[2])).toMatchObject({ status: "rejected", grams: 300 });
    expect(listed.every((e: { collectorName: string }) => e.collectorName === "Sari")).toBe(true);

    const sums = await sqlTotals(day.from, day.until);
    const totals = pages[0].totals;
    // Every page carries the whole day's totals, not its own.
    expect(pages.every((p) => JSON.stringify(p.totals) === JSON.stringify(totals))).toBe(true);
    expect(totals).toEqual({
      count: 6,
      grams: 7450,
      tokens: "16.625",
      materials: [
        { material: "HDPE", count: 3, grams: 4000, tokens: "8" },
        { material: "PET", count: 3, grams: 3450, tokens: "8.625" },
      ],
    });
    type Total = { material: string; count: number; grams: number; tokens: string };
    const answered = (totals.materials as Total[]).map((m) => [m.material, m.count, m.grams, parseTokenAmount(m.tokens).toString()]);
    expect(sums.map((s) => [s.material, s.count, s.grams, s.credit])).toEqual(answered.sort());
  });

  it("counts in UTC without a time zone, and says so", async () => {
    const reply = await dayOf("");
    expect(reply.status).toBe(200);
    expect(reply.body.day.timeZone).toBe("UTC");
    expect(reply.body.day.from).toBe(`${new Date().toISOString().slice(0, 10)}T00:00:00.000Z`);
  });

  it("refuses a time zone that is not a region's name, and a cursor it did not give, in words", async () => {
    for (const zone of ["Mars/Olympus_Mons", "%2B07:00", "UTC%2B7", "x".repeat(65)]) {
      const reply = await dayOf(`&timeZone=${zone}`);
      expect([reply.status, reply.body.error.code], zone).toEqual([400, zone.length > 64 ? "RC_VALIDATION" : "RC_BAD_TIME_ZONE"]);
    }
    const cursor = await dayOf("&cursor=bm90LWEtY3Vyc29y");
    expect([cursor.status, cursor.body.error.code]).toEqual([400, "RC_BAD_CURSOR"]);
  });

  it("shows a point only its own day: another kind of member is refused", async () => {
    const brand = await admit(stack, "brand", "Day Brand");
    const reply = await brand.api.get(`/v1/collections/day?programId=${scene.program.id}`);
    expect([reply.status, reply.body.error.code]).toEqual([403, "RC_WRONG_ROLE"]);
  });
});
