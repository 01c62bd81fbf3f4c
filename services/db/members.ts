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

/** A new key for the member: the old hash is replaced, so the old key is refused by the next request. */
export async function replaceApiKey(sql: Sql | TransactionSql, id: bigint, apiKeyHash: Buffer): Promise<Member | undefined> {
  const [row] = await sql<Member[]>`
    update members set api_key_hash = ${apiKeyHash} where id = ${String(id)} returning id, kind, name, address, active`;
  return row;
}

/** The member, locked for the caller's transaction (a change and its audit entry see the same row). */
export async function lockMember(sql: TransactionSql, id: bigint): Promise<Member | undefined> {
  const [row] = await sql<Member[]>`select id, kind, name, address, active from members where id = ${String(id)} for update`;
  return row;
}

export interface MemberQuery {
  /** Ids strictly below this one, newest first. */
  below: bigint;
  limit: number;
  kind?: MemberKind;
  active?: boolean;
  /** A part of the name, any case. */
  search?: string;
}

export async function listMembers(sql: Sql | TransactionSql, query: MemberQuery): Promise<Member[]> {
  const pattern = query.search === undefined ? undefined : `%${query.search.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
  return sql<Member[]>`
    select id, kind, name, address, active from members
    where id < ${String(query.below)}
      ${query.kind === undefined ? sql`` : sql`and kind = ${query.kind}`}
      ${query.active === undefined ? sql`` : sql`and active = ${query.active}`}
      ${pattern === undefined ? sql`` : sql`and name ilike ${pattern}`}
    order by id desc limit ${query.limit}`;
}

/** The active retailer at a chain address, if any: what a payer's phone shows before it signs. */
export async function findActiveRetailerByAddress(sql: Sql, address: string): Promise<Member | undefined> {
  const [member] = await sql<Member[]>`
    select id, kind, name, address, active from members
    where kind = 'retailer' and active and lower(address) = ${address.toLowerCase()}
    order by id desc limit 1`;
  return member;
}
