import type { Sql, TransactionSql } from "./sql.js";

export interface Collector {
  id: bigint;
  address: string;
  displayName: string | null;
  registeredBy: bigint;
  createdAt: Date;
}

type Db = Sql | TransactionSql;
const COLUMNS = `id, address, display_name as "displayName", registered_by as "registeredBy", created_at as "createdAt"`;

/** Registers a wallet as a collector; an address already registered is returned as it is, with `created` false. */
export async function registerCollector(
  db: Db,
  collector: { address: string; displayName: string | null; registeredBy: bigint },
): Promise<{ collector: Collector; created: boolean }> {
  const [inserted] = await db<Collector[]>`
    insert into collectors (address, display_name, registered_by)
    values (${collector.address}, ${collector.displayName}, ${String(collector.registeredBy)})
    on conflict (address) do nothing
    returning ${db.unsafe(COLUMNS)}`;
  if (inserted) return { collector: inserted, created: true };
  return { collector: (await findCollectorByAddress(db, collector.address))!, created: false };
}

export async function findCollectorByAddress(db: Db, address: string): Promise<Collector | undefined> {
  const [row] = await db<Collector[]>`select ${db.unsafe(COLUMNS)} from collectors where address = ${address}`;
  return row;
}
