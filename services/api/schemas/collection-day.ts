/** A collection point's day screen (issue 14): its drop-offs a page at a time and the day's totals by material. */
import { Type } from "typebox";
import { Id, TokenAmount } from "./common.js";
import { CreditEvent, Material } from "./events.js";
import { A, creditEvent } from "./examples.js";
import { PageQuery, QueryId } from "./pages.js";

export const CollectionDayQuery = Type.Object(
  {
    programId: QueryId,
    timeZone: Type.Optional(
      Type.String({
        minLength: 1,
        maxLength: 64,
        description: 'The point\'s IANA time zone, as its phone names it ("Asia/Jakarta"): the day runs from its local midnight. Without it, UTC',
      }),
    ),
    ...PageQuery,
  },
  { additionalProperties: false },
);

const Totals = {
  count: Type.Integer({ minimum: 0 }),
  grams: Type.Integer({ minimum: 0 }),
  tokens: TokenAmount,
};

export const DayDropOff = Type.Object(
  {
    ...CreditEvent.properties,
    collectorName: Type.Union([Type.String(), Type.Null()], { description: "The collector's display name, where the point gave one" }),
  },
  { examples: [{ ...creditEvent, collectorName: "Sari" }] },
);

const day = { date: "2026-11-30", timeZone: "Asia/Jakarta", from: "2026-11-29T17:00:00.000Z", until: "2026-11-30T17:00:00.000Z" };

export const CollectionDay = Type.Object(
  {
    day: Type.Object({
      date: Type.String({ format: "date", description: "The local date" }),
      timeZone: Type.String({ description: "The zone the day is counted in: the one asked for, or UTC" }),
      from: Type.String({ format: "date-time", description: "Local midnight, as an instant" }),
      until: Type.String({ format: "date-time", description: "The next local midnight" }),
    }),
    totals: Type.Object(
      {
        ...Totals,
        materials: Type.Array(Type.Object({ material: Material, ...Totals }), { description: "By material, the largest weight first" }),
      },
      { description: "Every drop-off the point recorded for the program that day, not only this page's; rejected ones left out" },
    ),
    items: Type.Array(DayDropOff, { description: "The day's drop-offs, newest first" }),
    next: Type.Union([Type.String(), Type.Null()], { description: "Cursor of the next page; null on the last page" }),
  },
  {
    examples: [
      {
        day,
        totals: {
          count: 3,
          grams: 4300,
          tokens: "4.15",
          materials: [
            { material: "PET", count: 2, grams: 3500, tokens: "3.5" },
            { material: "ALUMINIUM", count: 1, grams: 800, tokens: "0.65" },
          ],
        },
        items: [
          { ...creditEvent, id: 103, material: "ALUMINIUM", grams: 800, tokens: "0.65", status: "pending", txHash: null, blockNumber: null, collectorName: null, beneficiary: A.collector },
          { ...creditEvent, collectorName: "Sari" },
        ],
        next: "YzE6MTAx",
      },
    ],
  },
);
