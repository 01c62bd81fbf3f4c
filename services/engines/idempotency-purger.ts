import { purgeIdempotencyKeys } from "../db/idempotency.js";
import type { Sql } from "../db/sql.js";
import { PollingEngine } from "./polling-loop.js";

export interface IdempotencyPurgerOptions {
  /** How long a key is kept (IDEMPOTENCY_KEY_TTL_HOURS): a retry within it replays the first answer. */
  ttlHours: number;
  /** Keys deleted per statement, so a large backlog never holds one long transaction. */
  batch?: number;
  /** The pause between purges once nothing expired is left. */
  pollMs?: number;
  log?: Pick<Console, "info" | "error">;
}

/**
 * Purges expired idempotency keys, so the table holds about a TTL's worth of requests instead of growing for
 * ever: a batch at a time, at once again while batches come back full, then every `pollMs`.
 */
export class IdempotencyPurger extends PollingEngine {
  private readonly batch: number;

  constructor(
    private readonly sql: Sql,
    private readonly options: IdempotencyPurgerOptions,
  ) {
    super({
      pollMs: options.pollMs ?? 10 * 60_000,
      retryMs: 60_000,
      onError: (error) => options.log?.error({ err: error }, "could not purge expired idempotency keys"),
    });
    this.batch = options.batch ?? 1_000;
  }

  protected async round(): Promise<boolean> {
    const purged = await purgeIdempotencyKeys(this.sql, this.options.ttlHours, this.batch);
    if (purged > 0) this.options.log?.info({ purged, ttlHours: this.options.ttlHours }, "purged expired idempotency keys");
    return purged === this.batch && this.running;
  }
}
