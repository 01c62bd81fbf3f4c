import type { ReservedSql, Sql } from "./sql.js";

/** Held while this process is the one sender of a key; released when its connection closes, a crash included. */
export interface SenderLock {
  release(): Promise<void>;
}

const lockKey = (address: string) => `recircle.sender:${address.toLowerCase()}`;

/**
 * Waits until this process may send with `address`'s key: a PostgreSQL advisory lock per key, held on a
 * connection of its own. A second copy of the sender waits here as a hot standby instead of racing the first
 * for nonces, and takes over within `retryMs` of the first one's connection closing. `onLost` is called if
 * the lock's connection fails while held: the caller must stop sending, since another copy may take over.
 */
export async function acquireSenderLock(
  sql: Sql,
  address: string,
  options: { retryMs?: number; onWaiting?: () => void; onLost: (error: unknown) => void; stopped?: () => boolean },
): Promise<SenderLock | undefined> {
  const connection: ReservedSql = await sql.reserve();
  let told = false;
  for (;;) {
    const [row] = await connection<{ locked: boolean }[]>`select pg_try_advisory_lock(hashtextextended(${lockKey(address)}, 0)) as locked`;
    if (row!.locked) break;
    if (!told) options.onWaiting?.();
    told = true;
    if (options.stopped?.()) {
      connection.release();
      return undefined;
    }
    await new Promise((resolve) => setTimeout(resolve, options.retryMs ?? 500));
  }
  // A lock on a connection that died is another copy's lock by now: check it is still ours, every few seconds.
  const check = setInterval(() => {
    connection`select 1`.catch((error: unknown) => {
      clearInterval(check);
      options.onLost(error);
    });
  }, 2_000);
  check.unref();
  return {
    async release() {
      clearInterval(check);
      await connection`select pg_advisory_unlock(hashtextextended(${lockKey(address)}, 0))`.catch(() => {});
      connection.release();
    },
  };
}
