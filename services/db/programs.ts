import type { RecyclingRates, LoyaltyRules } from "../core/earning.js";
import type { Caps } from "../core/fraud.js";
import type { ProgramTerms } from "../core/terms-change.js";
import type { Material } from "../core/materials.js";
import type { Sql, TransactionSql } from "./sql.js";

export type ProgramKind = "recycling" | "loyalty";
/** `processor`: may form and confirm lots of the program's drop-offs (migration 017). */
export type ProgramRole = "issuer" | "acceptor" | "processor";

export interface Program {
  id: bigint;
  chainProgramId: bigint;
  token: string;
  name: string;
  symbol: string;
  kind: ProgramKind;
  closedLoop: boolean;
  /** Stablecoin base units per whole token; zero when the tokens are not redeemable. */
  redemptionRate: bigint;
  rates: RecyclingRates;
  rules: LoyaltyRules;
  caps: Caps;
  /** The share of a drop-off's credit held as bonus until its lot is confirmed, in basis points. */
  bonusShareBps: number;
  createdTx: string;
  createdAt: Date;
  /** The token paused on chain, as the last pause or unpause the operator sent mined (migration 020). */
  paused: boolean;
  /** Where the program runs (ISO 3166-1 alpha-2): local phone numbers for it are read in this country (migration 023). */
  phoneCountry: string;
}

type Db = Sql | TransactionSql;

// jsonb keeps amounts as decimal strings of base units; these convert at the edge of the repository.
interface StoredRules {
  events?: Record<string, { fixed?: string; perUnit?: string }>;
  campaigns?: { name: string; from: string; to: string; multiplierBps: number; types?: string[] }[];
}

const toBigints = <K extends string>(record: Partial<Record<K, string>>) =>
  Object.fromEntries(Object.entries(record).map(([k, v]) => [k, BigInt(v as string)])) as Partial<Record<K, bigint>>;
const toStrings = (record: object) =>
  Object.fromEntries(Object.entries(record).filter(([, v]) => v !== undefined).map(([k, v]) => [k, String(v)]));

function parseRow(row: Record<string, unknown>): Program {
  const rules = row.rules as StoredRules;
  return {
    id: row.id as bigint,
    chainProgramId: row.chainProgramId as bigint,
    token: row.token as string,
    name: row.name as string,
    symbol: row.symbol as string,
    kind: row.kind as ProgramKind,
    closedLoop: row.closedLoop as boolean,
    redemptionRate: BigInt(row.redemptionRate as string),
    rates: toBigints(row.rates as Partial<Record<Material, string>>),
    rules: {
      events: Object.fromEntries(Object.entries(rules.events ?? {}).map(([type, rule]) => [type, toBigints(rule)])),
      campaigns: (rules.campaigns ?? []).map((c) => ({ ...c, from: new Date(c.from), to: new Date(c.to) })),
    },
    caps: toBigints(row.caps as Record<keyof Caps, string>),
    bonusShareBps: row.bonusShareBps as number,
    createdTx: row.createdTx as string,
    createdAt: row.createdAt as Date,
    paused: row.paused as boolean,
    phoneCountry: row.phoneCountry as string,
  };
}

const COLUMNS = `id, chain_program_id as "chainProgramId", token_address as token, name, symbol, kind,
  closed_loop as "closedLoop", redemption_rate::text as "redemptionRate", rates, rules, caps,
  bonus_share_bps as "bonusShareBps", created_tx as "createdTx", created_at as "createdAt", paused,
  phone_country as "phoneCountry"`;

const storedRules = (rules: LoyaltyRules): StoredRules => ({
  events: Object.fromEntries(Object.entries(rules.events).map(([t, r]) => [t, toStrings(r)])),
  campaigns: (rules.campaigns ?? []).map((c) => ({ ...c, from: c.from.toISOString(), to: c.to.toISOString() })),
});

export async function insertProgram(
  db: Db,
  program: Omit<Program, "id" | "createdAt" | "bonusShareBps" | "paused" | "phoneCountry"> & { bonusShareBps?: number; phoneCountry?: string },
): Promise<Program> {
  const rules = storedRules(program.rules);
  const [row] = await db`
    insert into programs (chain_program_id, token_address, name, symbol, kind, closed_loop, redemption_rate,
                          rates, rules, caps, bonus_share_bps, created_tx, phone_country)
    values (${String(program.chainProgramId)}, ${program.token}, ${program.name}, ${program.symbol}, ${program.kind},
            ${program.closedLoop}, ${String(program.redemptionRate)}, ${db.json(toStrings(program.rates))},
            ${db.json(rules as never)}, ${db.json(toStrings(program.caps))},
            ${program.bonusShareBps ?? 0}, ${program.createdTx}, ${program.phoneCountry ?? "ID"})
    -- The same creation landing again after a reorganisation took its block: the factory's count went back
    -- with it, so the program keeps its row (and the events that name it) under the token it has now.
    on conflict (chain_program_id) do update set token_address = excluded.token_address, created_tx = excluded.created_tx
    returning ${db.unsafe(COLUMNS)}`;
  return parseRow(row!);
}

export async function findProgram(db: Db, id: bigint): Promise<Program | undefined> {
  const [row] = await db`select ${db.unsafe(COLUMNS)} from programs where id = ${String(id)}`;
  return row ? parseRow(row) : undefined;
}

/** The program's row, locked until the transaction ends: its terms change one change at a time. */
export async function lockProgram(db: Db, id: bigint): Promise<Program | undefined> {
  const [row] = await db`select ${db.unsafe(COLUMNS)} from programs where id = ${String(id)} for update`;
  return row ? parseRow(row) : undefined;
}

/** New terms: events accepted from now on earn by them; an accepted event keeps its credit. */
export async function updateProgramTerms(db: Db, id: bigint, terms: ProgramTerms): Promise<Program> {
  const [row] = await db`
    update programs set rates = ${db.json(toStrings(terms.rates))}, rules = ${db.json(storedRules(terms.rules) as never)},
                        caps = ${db.json(toStrings(terms.caps))}, bonus_share_bps = ${terms.bonusShareBps}
    where id = ${String(id)}
    returning ${db.unsafe(COLUMNS)}`;
  return parseRow(row!);
}

/** The token's pause as the chain mined it; `txHash` is the pause or unpause transaction. */
export async function setProgramPaused(db: Db, id: bigint, paused: boolean, txHash: string | null): Promise<void> {
  await db`update programs set paused = ${paused}, paused_tx = ${txHash} where id = ${String(id)}`;
}

export async function listPrograms(db: Db): Promise<Program[]> {
  const rows = await db`select ${db.unsafe(COLUMNS)} from programs order by id`;
  return rows.map(parseRow);
}

export async function programRoleOf(db: Db, programId: bigint, memberId: bigint): Promise<ProgramRole | undefined> {
  const [row] = await db<{ role: ProgramRole }[]>`
    select role from program_members where program_id = ${String(programId)} and member_id = ${String(memberId)}`;
  return row?.role;
}

/** Every program a member may act for, with its role there, in program order. */
export async function programRolesOf(db: Db, memberId: bigint): Promise<{ programId: bigint; role: ProgramRole }[]> {
  return db<{ programId: bigint; role: ProgramRole }[]>`
    select program_id as "programId", role from program_members where member_id = ${String(memberId)} order by program_id`;
}

export async function grantProgramRole(
  db: Db,
  grant: { programId: bigint; memberId: bigint; role: ProgramRole; txHash: string | null },
): Promise<boolean> {
  const rows = await db`
    insert into program_members (program_id, member_id, role, granted_tx)
    values (${String(grant.programId)}, ${String(grant.memberId)}, ${grant.role}, ${grant.txHash})
    on conflict do nothing
    returning member_id`;
  return rows.length > 0;
}

/** The active retailer at `address` that accepts the program's tokens, if there is one. */
export async function acceptingRetailer(db: Db, programId: bigint, address: string): Promise<bigint | undefined> {
  const [row] = await db<{ id: bigint }[]>`
    select m.id from members m join program_members pm on pm.member_id = m.id
    where m.kind = 'retailer' and m.active and m.address = ${address}
      and pm.program_id = ${String(programId)} and pm.role = 'acceptor'`;
  return row?.id;
}

/** Removes the member's role in the program; the role it had, undefined if none. */
export async function revokeProgramRole(db: Db, programId: bigint, memberId: bigint): Promise<ProgramRole | undefined> {
  const [row] = await db<{ role: ProgramRole }[]>`
    delete from program_members where program_id = ${String(programId)} and member_id = ${String(memberId)} returning role`;
  return row?.role;
}
