import postgres from "postgres";

export type Sql = postgres.Sql<{ bigint: bigint }>;
export type TransactionSql = postgres.TransactionSql<{ bigint: bigint }>;
export type ReservedSql = postgres.ReservedSql<{ bigint: bigint }>;
/** Anything queries can run on: the pool, a transaction, or one reserved connection. */
export type Queryable = Sql | TransactionSql | ReservedSql;

/** One pool per process. int8 columns (ids, blocks, grams) arrive as JS bigint, never lossy strings. */
export function createSql(url: string, options: { max?: number } = {}): Sql {
  return postgres(url, {
    max: options.max ?? 10,
    onnotice: () => {},
    types: { bigint: postgres.BigInt },
  });
}
