import { readdir, readFile } from "node:fs/promises";
import postgres from "postgres";
import type { Sql } from "./sql.js";

export const MIGRATIONS_DIR = new URL("./migrations/", import.meta.url).pathname;
const MIGRATION_FILE = /^(\d{3})_[a-z0-9_]+\.sql$/;

/**
 * Applies the numbered SQL files not yet applied, in order, all in one transaction under an advisory lock,
 * so two processes starting together neither race nor leave a half-migrated database. Returns what ran.
 */
export async function migrate(sql: Sql, dir = MIGRATIONS_DIR): Promise<string[]> {
  const files = (await readdir(dir)).filter((name) => MIGRATION_FILE.test(name)).sort();
  return sql.begin(async (tx) => {
    await tx`select pg_advisory_xact_lock(hashtext('recircle.migrations'))`;
    await tx`create table if not exists schema_migrations (
      version integer primary key, name text not null, applied_at timestamptz not null default now())`;
    const applied = new Set((await tx`select version from schema_migrations`).map((row) => Number(row.version)));
    const ran: string[] = [];
    for (const name of files) {
      const version = Number(MIGRATION_FILE.exec(name)![1]);
      if (applied.has(version)) continue;
      await tx.unsafe(await readFile(`${dir}${name}`, "utf8"));
      await tx`insert into schema_migrations (version, name) values (${version}, ${name})`;
      ran.push(name);
    }
    return ran;
  });
}

/** Connects to the server's maintenance database to create or drop the database `url` names. */
async function withMaintenance<T>(url: string, run: (admin: postgres.Sql, database: string) => Promise<T>) {
  const target = new URL(url);
  const database = decodeURIComponent(target.pathname.slice(1));
  if (!/^[A-Za-z0-9_]+$/.test(database)) throw new Error(`unsupported database name "${database}"`);
  target.pathname = "/postgres";
  const admin = postgres(target.toString(), { max: 1, onnotice: () => {} });
  try {
    return await run(admin, database);
  } finally {
    await admin.end({ timeout: 5 });
  }
}

/** Creates the database if it does not exist; returns whether it did. */
export function ensureDatabase(url: string): Promise<boolean> {
  return withMaintenance(url, async (admin, database) => {
    const [exists] = await admin`select 1 from pg_database where datname = ${database}`;
    if (exists) return false;
    await admin.unsafe(`create database "${database}"`);
    return true;
  });
}

/** Drops the database, closing whatever still holds it open. */
export function dropDatabase(url: string): Promise<void> {
  return withMaintenance(url, async (admin, database) => {
    await admin.unsafe(`drop database if exists "${database}" with (force)`);
  });
}
