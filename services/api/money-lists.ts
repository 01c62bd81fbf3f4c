import type { Static } from "typebox";
import { cursorBound, pageOf } from "../core/cursor.js";
import type { Member } from "../db/members.js";
import type { MoneyQuery } from "../db/operator-lists.js";
import type { Queryable } from "../db/sql.js";
import type { PaymentListQuery, RedemptionListQuery } from "./schemas/lists.js";

/**
 * One page of payments or redemptions (`list` reads which), newest first, by program and status as the query
 * asks: every one for an admin, a retailer's own for it (paid to it, or redeemed by it). The two lists are one
 * rule for who sees what, kept here so that it cannot drift between them.
 */
export async function retailerMoneyPage<T extends { id: bigint }>(
  db: Queryable,
  list: (db: Queryable, query: MoneyQuery) => Promise<T[]>,
  member: Member,
  query: Static<typeof PaymentListQuery> | Static<typeof RedemptionListQuery>,
): Promise<{ items: T[]; next: string | null }> {
  const size = Number(query.limit ?? 50);
  const rows = await list(db, {
    below: cursorBound(query.cursor),
    limit: size + 1,
    ...(member.kind === "admin" ? {} : { retailerId: member.id }),
    ...(query.programId === undefined ? {} : { programId: BigInt(query.programId) }),
    ...(query.status === undefined ? {} : { status: query.status }),
  });
  return pageOf(rows, size);
}
