import { conflict } from "../core/errors.js";
import { recordAudit } from "../db/audit.js";
import { cancelOpenLot, findLot, type Lot } from "../db/lots.js";
import type { Member } from "../db/members.js";
import type { Sql } from "../db/sql.js";

/**
 * Cancels an open lot (its processor's or an admin's decision, the caller checked which): its drop-offs are free
 * to join another lot, and their held bonuses wait for that one. A lot being confirmed or confirmed is a 409.
 * Audited as `lot.cancel` in the same transaction.
 */
export async function cancelLot(sql: Sql, member: Member, lot: Lot): Promise<Lot> {
  return sql.begin(async (tx) => {
    const freed = await cancelOpenLot(tx, lot.id, member.id);
    if (!freed) {
      const now = await findLot(tx, lot.id);
      throw conflict("RC_LOT_NOT_OPEN", `lot ${lot.id} is ${now?.status ?? lot.status}: only an open lot is cancelled`);
    }
    await recordAudit(tx, {
      actorId: member.id,
      action: "lot.cancel",
      subject: `lot:${lot.id}`,
      before: { status: "open", collectionIds: freed.map(String) },
      after: { status: "cancelled" },
    });
    const cancelled = (await findLot(tx, lot.id))!;
    // The lot keeps the record of what it held; the events themselves are free again.
    return { ...cancelled, collectionIds: freed };
  });
}
