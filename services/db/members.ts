import type { Sql, TransactionSql } from "./sql.js";

export const MEMBER_KINDS = ["admin", "collection_point", "brand", "retailer", "sponsor", "processor"] as const;
export type MemberKind = (typeof MEMBER_KINDS)[number];

export interface Member {
  id: bigint;
  kind: MemberKind;
  name: string;
  address: string | null;
  active: boolean;
}

export async function findMemberByKeyHash(sql: Sql, hash: Buffer): Promise<Member | undefined> {
  const [member] = await sql<Member[]>`
    select id, kind, name, address, active from members where api_key_hash = ${hash}`;
  return member;
}

export async function findMember(sql: Sql | TransactionSql, id: bigint): Promise<Member | undefined> {
  const [member] = await sql<Member[]>`select id, kind, name, address, active from members where id = ${String(id)}`;
  return member;
}

export async function insertMember(
  sql: Sql | TransactionSql,
  member: { kind: MemberKind; name: string; address: string | null; apiKeyHash: Buffer },
): Promise<Member> {
  const [row] = await sql<Member[]>`
    insert into members (kind, name, address, api_key_hash)
    values (${member.kind}, ${member.name}, ${member.address}, ${member.apiKeyHash})
    returning id, kind, name, address, active`;
  return row!;
}

export async function setMemberActive(sql: Sql | TransactionSql, id: bigint, active: boolean): Promise<Member | undefined> {
  const [row] = await sql<Member[]>`
    update members set active = ${active} where id = ${String(id)} returning id, kind, name, address, active`;
  return row;
}

/** The operator's admin, keyed by the bootstrap key: a changed ADMIN_API_KEY replaces the old one. */
export async function upsertBootstrapAdmin(sql: Sql, apiKeyHash: Buffer): Promise<void> {
  const [existing] = await sql`select id from members where kind = 'admin' and name = 'bootstrap admin'`;
  if (existing) {
    await sql`update members set api_key_hash = ${apiKeyHash}, active = true where id = ${existing.id}`;
  } else {
    await sql`insert into members (kind, name, api_key_hash) values ('admin', 'bootstrap admin', ${apiKeyHash})`;
  }
}
