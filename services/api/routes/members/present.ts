import type { Member } from "../../../db/members.js";

export const presentMember = (member: Member) => ({
  id: Number(member.id),
  kind: member.kind,
  name: member.name,
  address: member.address,
  active: member.active,
});
