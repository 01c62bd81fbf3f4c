import { checkedAddress } from "../core/addresses.js";
import { generateApiKey, hashApiKey } from "../core/api-keys.js";
import { badRequest, conflict, notFound } from "../core/errors.js";
import { recordAudit } from "../db/audit.js";
import { insertMember, lockMember, type Member, type MemberKind, replaceApiKey, setMemberActive } from "../db/members.js";
import type { Sql } from "../db/sql.js";

/** Members who act on chain need an address: retailers receive tokens, sponsors deposit. */
const NEEDS_ADDRESS: MemberKind[] = ["retailer", "sponsor"];

const state = (member: Member) => ({ kind: member.kind, name: member.name, address: member.address, active: member.active });

/** Admits a member; its API key is returned once (only its hash is kept). Audited as `member.admit`. */
export async function admitMember(
  sql: Sql,
  admin: Member,
  request: { kind: MemberKind; name: string; address?: string | undefined },
): Promise<{ member: Member; apiKey: string }> {
  if (NEEDS_ADDRESS.includes(request.kind) && !request.address) {
    throw badRequest("RC_ADDRESS_REQUIRED", `a ${request.kind} needs an address`);
  }
  const apiKey = generateApiKey();
  const address = request.address ? checkedAddress(request.address) : null;
  const member = await sql.begin(async (tx) => {
    const created = await insertMember(tx, { kind: request.kind, name: request.name, address, apiKeyHash: hashApiKey(apiKey) });
    await recordAudit(tx, { actorId: admin.id, action: "member.admit", subject: `member:${created.id}`, after: state(created) });
    return created;
  });
  return { member, apiKey };
}

/**
 * Deactivates or reactivates a member: a deactivated member's key is refused from the next request on (the auth
 * hook reads the row every time). An admin cannot deactivate itself, so the network keeps an admin who can undo it.
 */
export async function setActive(sql: Sql, admin: Member, memberId: bigint, active: boolean): Promise<Member> {
  if (!active && memberId === admin.id) throw conflict("RC_SELF_DEACTIVATION", "an admin cannot deactivate its own key");
  return sql.begin(async (tx) => {
    const before = await lockMember(tx, memberId);
    if (!before) throw notFound("RC_MEMBER_NOT_FOUND", `no member ${memberId}`);
    if (before.active === active) return before;
    const after = (await setMemberActive(tx, memberId, active))!;
    await recordAudit(tx, {
      actorId: admin.id,
      action: active ? "member.reactivate" : "member.deactivate",
      subject: `member:${memberId}`,
      before: { active: before.active },
      after: { active: after.active },
    });
    return after;
  });
}

/** A new API key for the member, shown once; the old key is refused from the next request on. */
export async function rotateKey(sql: Sql, admin: Member, memberId: bigint): Promise<{ member: Member; apiKey: string }> {
  const apiKey = generateApiKey();
  const member = await sql.begin(async (tx) => {
    const before = await lockMember(tx, memberId);
    if (!before) throw notFound("RC_MEMBER_NOT_FOUND", `no member ${memberId}`);
    const after = (await replaceApiKey(tx, memberId, hashApiKey(apiKey)))!;
    // The keys themselves are never logged, only that one replaced the other.
    await recordAudit(tx, { actorId: admin.id, action: "member.rotate-key", subject: `member:${memberId}`, before: null, after: null });
    return after;
  });
  return { member, apiKey };
}
